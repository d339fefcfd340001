-- PostgreSQL version of src/store/sqlite/migrations/0002_organisation_record.sql (same schema; BIGINT identities).
-- The full organisation record (issue 3): ESSGLOBAL activities and membership types, the
-- UN SDGs, address, contacts, counts, principles self-assessment and import provenance.
-- Lists and maps are JSON text: the record reads in one row; search indexes derive from it.

CREATE TABLE activities (
  code TEXT PRIMARY KEY,                 -- ICA activity, e.g. ICA10
  label_en TEXT NOT NULL, label_fr TEXT, label_es TEXT, label_pt TEXT
);
CREATE TABLE membership_types (
  code TEXT PRIMARY KEY,                 -- ESSGLOBAL base membership type, e.g. BMT30
  label_en TEXT NOT NULL, label_fr TEXT, label_es TEXT, label_pt TEXT
);
CREATE TABLE sdgs (
  code BIGINT PRIMARY KEY CHECK (code BETWEEN 1 AND 17),
  label_en TEXT NOT NULL, label_fr TEXT, label_es TEXT, label_pt TEXT
);

ALTER TABLE organisations ADD COLUMN other_names TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisations ADD COLUMN mission TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN language TEXT;
ALTER TABLE organisations ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organisations ADD COLUMN primary_activity TEXT REFERENCES activities(code);
ALTER TABLE organisations ADD COLUMN activities TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisations ADD COLUMN membership_type TEXT REFERENCES membership_types(code);
ALTER TABLE organisations ADD COLUMN street TEXT;
ALTER TABLE organisations ADD COLUMN locality TEXT;
ALTER TABLE organisations ADD COLUMN region TEXT;
ALTER TABLE organisations ADD COLUMN postcode TEXT;
ALTER TABLE organisations ADD COLUMN urls TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisations ADD COLUMN email TEXT;
ALTER TABLE organisations ADD COLUMN phone TEXT;
ALTER TABLE organisations ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisations ADD COLUMN founded_year BIGINT;
ALTER TABLE organisations ADD COLUMN members BIGINT CHECK (members >= 0);
ALTER TABLE organisations ADD COLUMN workers BIGINT CHECK (workers >= 0);
ALTER TABLE organisations ADD COLUMN volunteers BIGINT CHECK (volunteers >= 0);
ALTER TABLE organisations ADD COLUMN counts_year BIGINT;
ALTER TABLE organisations ADD COLUMN sdgs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisations ADD COLUMN principles TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organisations ADD COLUMN source TEXT;
ALTER TABLE organisations ADD COLUMN source_id TEXT;

-- The public JSON of the record, rendered at every write: reads serve it as it is.
-- NULL for rows written before this migration: readers then render from the columns.
ALTER TABLE organisations ADD COLUMN doc TEXT;

-- Imports are idempotent by (source, source identifier).
CREATE UNIQUE INDEX organisations_source ON organisations(source, source_id) WHERE source IS NOT NULL;

INSERT INTO activities (code, label_en, label_fr, label_es, label_pt) VALUES
('ICA10', 'Agriculture', 'Agriculture', 'Agricultura', 'Agricultura'),
('ICA20', 'Dairy', 'Industrie laitière', 'Industria lechera', 'Laticínios'),
('ICA30', 'Forestry', 'Foresterie', 'Silvicultura', 'Silvicultura'),
('ICA40', 'Irrigation', 'Irrigation', 'Riego', 'Irrigação'),
('ICA50', 'Fishing', 'Pêche', 'Pesca', 'Pesca'),
('ICA60', 'Artisans', 'Artisanat', 'Artesanía', 'Artesanato'),
('ICA70', 'Construction', 'Construction', 'Construcción', 'Construção'),
('ICA80', 'Industry', 'Industrie', 'Industria', 'Indústria'),
('ICA90', 'Manufacturing', 'Industrie manufacturière', 'Fabricación', 'Manufatura'),
('ICA100', 'Mining', 'Exploitation minière', 'Minería', 'Mineração'),
('ICA110', 'Professional', 'Cadres et professions libérales', 'Actividades profesionales', 'Atividades profissionais'),
('ICA120', 'Service', 'Services', 'Servicios', 'Serviços'),
('ICA130', 'Tourism', 'Tourisme', 'Turismo', 'Turismo'),
('ICA140', 'Financial Services', 'Services financiers', 'Servicios financieros', 'Serviços financeiros'),
('ICA150', 'Insurance', 'Assurance', 'Seguros', 'Seguros'),
('ICA160', 'Education', 'Éducation', 'Educación', 'Educação'),
('ICA170', 'Health', 'Santé', 'Salud', 'Saúde'),
('ICA180', 'Community', 'Action communautaire', 'Servicios comunitarios', 'Serviços comunitários'),
('ICA190', 'Social', 'Action sociale', 'Acción social', 'Ação social'),
('ICA200', 'Social Service', 'Services sociaux', 'Servicios sociales', 'Serviços sociais'),
('ICA210', 'Housing', 'Logement', 'Vivienda', 'Habitação'),
('ICA220', 'Transport', 'Transports', 'Transporte', 'Transportes'),
('ICA230', 'Utilities', 'Services publics', 'Servicios públicos', 'Serviços públicos'),
('ICA240', 'Retail', 'Grande distribution', 'Comercio minorista', 'Comércio varejista'),
('ICA250', 'Production', 'Production', 'Producción', 'Produção'),
('ICA260', 'Wholesale and retail trade', 'Vente de gros et de détail', 'Comercio mayorista y minorista', 'Comércio atacadista e varejista'),
('ICA270', 'Education / health / social work', 'Éducation / Santé / Travail social', 'Educación, salud y trabajo social', 'Educação, saúde e assistência social'),
('ICA280', 'Other Services', 'Autres services', 'Otros servicios', 'Outros serviços'),
('ICA290', 'All (Services)', 'Tous (services)', 'Todos los servicios', 'Todos os serviços');

INSERT INTO membership_types (code, label_en, label_fr, label_es, label_pt) VALUES
('BMT10', 'Consumer/Users', 'Consommateurs/usagers', 'de consumo/usuarios', 'Consumidores/usuários'),
('BMT20', 'Producers', 'Producteurs', 'de productores', 'Produtores'),
('BMT30', 'Workers', 'Travailleurs', 'de trabajadores', 'Trabalhadores'),
('BMT40', 'Multi-stakeholders', 'Intérêt collectif', 'de múltiples partes interesadas', 'Multissetorial'),
('BMT50', 'Residents', 'Résidents', 'de residentes', 'Moradores'),
('BMT60', 'Others', 'Autres', 'Otros', 'Outros');

INSERT INTO sdgs (code, label_en, label_fr, label_es, label_pt) VALUES
(1, 'No poverty', 'Pas de pauvreté', 'Fin de la pobreza', 'Erradicação da pobreza'),
(2, 'Zero hunger', 'Faim « zéro »', 'Hambre cero', 'Fome zero e agricultura sustentável'),
(3, 'Good health and well-being', 'Bonne santé et bien-être', 'Salud y bienestar', 'Saúde e bem-estar'),
(4, 'Quality education', 'Éducation de qualité', 'Educación de calidad', 'Educação de qualidade'),
(5, 'Gender equality', 'Égalité entre les sexes', 'Igualdad de género', 'Igualdade de gênero'),
(6, 'Clean water and sanitation', 'Eau propre et assainissement', 'Agua limpia y saneamiento', 'Água potável e saneamento'),
(7, 'Affordable and clean energy', 'Énergie propre et d’un coût abordable', 'Energía asequible y no contaminante', 'Energia limpa e acessível'),
(8, 'Decent work and economic growth', 'Travail décent et croissance économique', 'Trabajo decente y crecimiento económico', 'Trabalho decente e crescimento econômico'),
(9, 'Industry, innovation and infrastructure', 'Industrie, innovation et infrastructure', 'Industria, innovación e infraestructura', 'Indústria, inovação e infraestrutura'),
(10, 'Reduced inequalities', 'Inégalités réduites', 'Reducción de las desigualdades', 'Redução das desigualdades'),
(11, 'Sustainable cities and communities', 'Villes et communautés durables', 'Ciudades y comunidades sostenibles', 'Cidades e comunidades sustentáveis'),
(12, 'Responsible consumption and production', 'Consommation et production responsables', 'Producción y consumo responsables', 'Consumo e produção responsáveis'),
(13, 'Climate action', 'Mesures relatives à la lutte contre les changements climatiques', 'Acción por el clima', 'Ação contra a mudança global do clima'),
(14, 'Life below water', 'Vie aquatique', 'Vida submarina', 'Vida na água'),
(15, 'Life on land', 'Vie terrestre', 'Vida de ecosistemas terrestres', 'Vida terrestre'),
(16, 'Peace, justice and strong institutions', 'Paix, justice et institutions efficaces', 'Paz, justicia e instituciones sólidas', 'Paz, justiça e instituições eficazes'),
(17, 'Partnerships for the goals', 'Partenariats pour la réalisation des objectifs', 'Alianzas para lograr los objetivos', 'Parcerias e meios de implementação');
