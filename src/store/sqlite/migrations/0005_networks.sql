-- Networks (issue 3): a network is an organisation that federates others, with a scope;
-- relationships between organisations (member of, supplier of, ...) with dates, a role
-- for memberships, and history (a member who leaves and comes back has two rows).

CREATE TABLE network_scopes (
  code TEXT PRIMARY KEY,
  rank INTEGER NOT NULL,                 -- local 1 < regional 2 < national 3 < international 4
  label_en TEXT NOT NULL, label_fr TEXT, label_es TEXT, label_pt TEXT
);
INSERT INTO network_scopes (code, rank, label_en, label_fr, label_es, label_pt) VALUES
  ('local', 1, 'Local network', 'Réseau local', 'Red local', 'Rede local'),
  ('regional', 2, 'Regional network', 'Réseau régional', 'Red regional', 'Rede regional'),
  ('national', 3, 'National network', 'Réseau national', 'Red nacional', 'Rede nacional'),
  ('international', 4, 'International network', 'Réseau international', 'Red internacional', 'Rede internacional');

CREATE TABLE relationship_types (
  code TEXT PRIMARY KEY,
  label_en TEXT NOT NULL, label_fr TEXT, label_es TEXT, label_pt TEXT
);
INSERT INTO relationship_types (code, label_en, label_fr, label_es, label_pt) VALUES
  ('member_of', 'Member of', 'Membre de', 'Miembro de', 'Membro de'),
  ('supplier_of', 'Supplier of', 'Fournisseur de', 'Proveedor de', 'Fornecedor de'),
  ('customer_of', 'Customer of', 'Client de', 'Cliente de', 'Cliente de'),
  ('partner_of', 'Partner of', 'Partenaire de', 'Socio de', 'Parceiro de'),
  ('subsidiary_of', 'Subsidiary of', 'Filiale de', 'Filial de', 'Subsidiária de'),
  ('funded_by', 'Funded by', 'Financé par', 'Financiado por', 'Financiado por');

CREATE TABLE membership_roles (
  code TEXT PRIMARY KEY,
  label_en TEXT NOT NULL, label_fr TEXT, label_es TEXT, label_pt TEXT
);
INSERT INTO membership_roles (code, label_en, label_fr, label_es, label_pt) VALUES
  ('full', 'Full member', 'Membre actif', 'Miembro de pleno derecho', 'Membro efetivo'),
  ('founding', 'Founding member', 'Membre fondateur', 'Miembro fundador', 'Membro fundador'),
  ('associate', 'Associate member', 'Membre associé', 'Miembro asociado', 'Membro associado'),
  ('observer', 'Observer', 'Observateur', 'Observador', 'Observador');

ALTER TABLE organisations ADD COLUMN network_scope TEXT REFERENCES network_scopes(code);

CREATE TABLE relationships (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subject_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL REFERENCES relationship_types(code),
  object_id INTEGER NOT NULL REFERENCES organisations(id),
  role TEXT REFERENCES membership_roles(code),   -- memberships only
  start_date TEXT,                               -- YYYY-MM-DD
  end_date TEXT,                                 -- YYYY-MM-DD, the first day it no longer holds
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  deleted_at TEXT,
  CHECK (subject_id <> object_id),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date > start_date)
);
-- One open relationship of a kind between two organisations; ended ones are history.
CREATE UNIQUE INDEX relationships_open ON relationships(subject_id, kind, object_id)
  WHERE deleted_at IS NULL AND end_date IS NULL;
CREATE INDEX relationships_by_subject ON relationships(subject_id, kind) WHERE deleted_at IS NULL;
CREATE INDEX relationships_by_object ON relationships(object_id, kind) WHERE deleted_at IS NULL;
