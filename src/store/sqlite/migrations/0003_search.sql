-- Search over the register (issue 3): full text with case and accents folded (FTS5),
-- places (R*Tree), and the list fields that filters and facets count (activities, SDGs).
-- All four are derived from organisations and rebuilt for a row at each write; the
-- statements that fill them are the same here (for existing rows) and in
-- src/registry/search_store.cc (for one row).

CREATE VIRTUAL TABLE organisations_fts USING fts5(
  names, texts, activities, place,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE organisations_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat);

-- Keyed by organisation (rebuilt per organisation at each write), indexed by value (filters).
CREATE TABLE organisation_activities (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  activity TEXT NOT NULL,
  PRIMARY KEY (organisation_id, activity)
) WITHOUT ROWID;
CREATE INDEX organisation_activities_by_activity ON organisation_activities(activity, organisation_id);

CREATE TABLE organisation_sdgs (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  sdg INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, sdg)
) WITHOUT ROWID;
CREATE INDEX organisation_sdgs_by_sdg ON organisation_sdgs(sdg, organisation_id);

CREATE INDEX organisations_legal_form ON organisations(legal_form) WHERE deleted_at IS NULL;
CREATE INDEX organisations_country ON organisations(country) WHERE deleted_at IS NULL;
CREATE INDEX organisations_name ON organisations(name, id) WHERE deleted_at IS NULL;

INSERT INTO organisations_fts (rowid, names, texts, activities, place)
SELECT o.id,
       o.name || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(o.other_names)), ''),
       o.description || ' ' || o.mission || ' ' ||
         COALESCE((SELECT group_concat(COALESCE(json_extract(value, '$.description'), '') || ' ' ||
                                       COALESCE(json_extract(value, '$.mission'), ''), ' ')
                   FROM json_each(o.translations)), ''),
       COALESCE((SELECT group_concat(a.label_en || ' ' || COALESCE(a.label_fr, '') || ' ' ||
                                     COALESCE(a.label_es, '') || ' ' || COALESCE(a.label_pt, ''), ' ')
                 FROM json_each(o.activities) j JOIN activities a ON a.code = j.value), ''),
       COALESCE(o.street, '') || ' ' || COALESCE(o.locality, '') || ' ' || COALESCE(o.region, '') || ' ' ||
         COALESCE(o.postcode, '')
FROM organisations o WHERE o.deleted_at IS NULL;

INSERT INTO organisations_geo (id, min_lon, max_lon, min_lat, max_lat)
SELECT id, longitude, longitude, latitude, latitude FROM organisations
WHERE deleted_at IS NULL AND latitude IS NOT NULL;

INSERT INTO organisation_activities (organisation_id, activity)
SELECT o.id, j.value FROM organisations o, json_each(o.activities) j WHERE o.deleted_at IS NULL;

INSERT INTO organisation_sdgs (organisation_id, sdg)
SELECT o.id, j.value FROM organisations o, json_each(o.sdgs) j WHERE o.deleted_at IS NULL;
