-- The library (library/library.h): resources published by an organisation of the register
-- through draft -> in_review -> published (and archived), every step in
-- library_revisions (who, when, what changed). Lists (themes, SDGs, countries) are JSON
-- arrays as the register keeps them; the organisations a resource is about are rows, so an
-- organisation's page finds its resources by index. Translations share a group, named by
-- the id of its first resource; a group has one resource per language.
CREATE TABLE library_themes (
  code TEXT PRIMARY KEY,                -- a network's own themes (the five standard ones are in the code)
  labels TEXT NOT NULL,                 -- {"en": "...", "fr": "..."}
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id)
);
CREATE TABLE library_resources (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  publisher_id INTEGER NOT NULL REFERENCES organisations(id),
  type TEXT NOT NULL,                   -- good_practice, case_study, ...
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,                   -- Markdown
  language TEXT NOT NULL,               -- ISO 639-1
  translation_group INTEGER NOT NULL,
  themes TEXT NOT NULL,
  sdgs TEXT NOT NULL,
  countries TEXT NOT NULL,
  stage TEXT NOT NULL,                  -- draft, in_review, published, archived
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  published_at TEXT
);
CREATE INDEX library_resources_publisher ON library_resources (publisher_id, id);
CREATE INDEX library_resources_group ON library_resources (translation_group, language);
CREATE TABLE library_resource_organisations (
  resource_id INTEGER NOT NULL REFERENCES library_resources(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (resource_id, organisation_id)
);
CREATE INDEX library_resource_organisations_org ON library_resource_organisations (organisation_id);
CREATE TABLE library_revisions (
  resource_id INTEGER NOT NULL REFERENCES library_resources(id),
  n INTEGER NOT NULL,
  at TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,                 -- created, changed, moved
  stage TEXT NOT NULL,                  -- the stage after it
  note TEXT NOT NULL,
  changes TEXT NOT NULL,                -- {"title": {"from": ..., "to": ...}, ...}
  PRIMARY KEY (resource_id, n)
);
