-- PostgreSQL version of src/store/sqlite/migrations/0006_country_aliases.sql (same schema; BIGINT identities).
-- Other names people write for countries in spreadsheets (imports match names in any of
-- the four languages of the countries vocabulary first, then these, then near misses).
CREATE TABLE country_aliases (
  alias TEXT PRIMARY KEY,   -- as people write it; matched case- and accent-insensitively
  code TEXT NOT NULL REFERENCES countries(code)
);
INSERT INTO country_aliases (alias, code) VALUES
  ('UK', 'GB'), ('U.K.', 'GB'), ('Great Britain', 'GB'), ('Britain', 'GB'), ('England', 'GB'), ('Scotland', 'GB'),
  ('Wales', 'GB'), ('Northern Ireland', 'GB'), ('USA', 'US'), ('U.S.A.', 'US'), ('US', 'US'), ('United States of America', 'US'),
  ('America', 'US'), ('EE.UU.', 'US'), ('EEUU', 'US'), ('EUA', 'US'), ('Democratic Republic of Congo', 'CD'),
  ('Democratic Republic of the Congo', 'CD'), ('DR Congo', 'CD'), ('DRC', 'CD'), ('RDC', 'CD'), ('Congo-Kinshasa', 'CD'),
  ('Republic of the Congo', 'CG'), ('Congo-Brazzaville', 'CG'), ('Iran', 'IR'), ('Russia', 'RU'), ('Russie', 'RU'),
  ('Rusia', 'RU'), ('Rússia', 'RU'), ('South Korea', 'KR'), ('Corée du Sud', 'KR'), ('Corea del Sur', 'KR'),
  ('Coreia do Sul', 'KR'), ('North Korea', 'KP'), ('Vietnam', 'VN'), ('Viet Nam', 'VN'), ('Laos', 'LA'), ('Bolivia', 'BO'),
  ('Venezuela', 'VE'), ('Tanzania', 'TZ'), ('Syria', 'SY'), ('Moldova', 'MD'), ('Swaziland', 'SZ'), ('Burma', 'MM'),
  ('Ivory Coast', 'CI'), ('Côte d''Ivoire', 'CI'), ('Cote d''Ivoire', 'CI'), ('Czech Republic', 'CZ'),
  ('République tchèque', 'CZ'), ('Macedonia', 'MK'), ('North Macedonia', 'MK'), ('Türkiye', 'TR'), ('Turkiye', 'TR'),
  ('Holland', 'NL'), ('The Netherlands', 'NL'), ('Palestine', 'PS'), ('Taiwan', 'TW'), ('Cape Verde', 'CV'),
  ('Cabo Verde', 'CV'), ('East Timor', 'TL'), ('Timor-Leste', 'TL'), ('Micronesia', 'FM'), ('Vatican', 'VA'),
  ('Brunei', 'BN'), ('Gambia', 'GM'), ('The Gambia', 'GM'), ('Bahamas', 'BS'), ('The Bahamas', 'BS'),
  ('Kyrgyzstan', 'KG'), ('Slovak Republic', 'SK'), ('Hong Kong', 'HK'), ('Macau', 'MO'),
  ('Saint Lucia', 'LC'), ('St Lucia', 'LC'), ('Emirates', 'AE'), ('UAE', 'AE');
-- Countries as they call themselves (addresses are often written so).
INSERT INTO country_aliases (alias, code) VALUES
  ('Österreich', 'AT'), ('Deutschland', 'DE'), ('Ελλάδα', 'GR'), ('Ellada', 'GR'), ('Hellas', 'GR'), ('Italia', 'IT'),
  ('Portogallo', 'PT'), ('Schweiz', 'CH'), ('Suisse', 'CH'), ('Svizzera', 'CH'), ('Nederland', 'NL'),
  ('Belgique', 'BE'), ('België', 'BE'), ('Polska', 'PL'), ('Magyarország', 'HU'), ('Česko', 'CZ'),
  ('Česká republika', 'CZ'), ('Hrvatska', 'HR'), ('România', 'RO'), ('Slovensko', 'SK'), ('Slovenija', 'SI'),
  ('България', 'BG'), ('Bulgaria', 'BG'), ('Suomi', 'FI'), ('Sverige', 'SE'), ('Norge', 'NO'), ('Danmark', 'DK'),
  ('Éire', 'IE'), ('Србија', 'RS'), ('Srbija', 'RS'), ('Shqipëria', 'AL'), ('Lietuva', 'LT'), ('Latvija', 'LV'),
  ('Eesti', 'EE'), ('Κύπρος', 'CY'), ('Malta', 'MT'), ('Luxemburg', 'LU'), ('Россия', 'RU'), ('Україна', 'UA'),
  ('Türkiye Cumhuriyeti', 'TR'), ('Brasil', 'BR'), ('México', 'MX'), ('Perú', 'PE');
