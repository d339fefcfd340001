-- Communities of practice (communities/communities.h): groups of an organisation of the
-- register, whose editors and admins moderate them; members with a handle per group;
-- threads of Markdown posts, each with its language, replies to replies; mentions kept as
-- user ids; hiding a post and blocking a member are marks with who, when and why. Digests
-- are one email per member and period, recorded so that no period is ever sent twice.
CREATE TABLE communities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,            -- Markdown
  languages TEXT NOT NULL,              -- JSON array of ISO 639-1 codes
  open INTEGER NOT NULL,                -- 1: anyone reads and joins; 0: members only
  archived INTEGER NOT NULL,            -- 1: read-only
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL,
  last_post_at TEXT NOT NULL
);
CREATE INDEX communities_organisation ON communities (organisation_id);
CREATE TABLE community_members (
  community_id INTEGER NOT NULL REFERENCES communities(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  handle TEXT NOT NULL,
  handle_key TEXT NOT NULL,             -- text::Fold(handle): unique in the group
  joined_at TEXT NOT NULL,
  added_by INTEGER REFERENCES users(id),  -- a moderator, for a closed group
  left_at TEXT,                         -- NULL: a member now
  blocked_at TEXT,
  blocked_by INTEGER REFERENCES users(id),
  block_reason TEXT,
  PRIMARY KEY (community_id, user_id)
);
CREATE UNIQUE INDEX community_members_handle ON community_members (community_id, handle_key);
CREATE INDEX community_members_user ON community_members (user_id);
CREATE TABLE community_threads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  community_id INTEGER NOT NULL REFERENCES communities(id),
  title TEXT NOT NULL,
  language TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_post_at TEXT NOT NULL
);
CREATE INDEX community_threads_recent ON community_threads (community_id, last_post_at);
CREATE TABLE community_posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id INTEGER NOT NULL REFERENCES community_threads(id),
  community_id INTEGER NOT NULL REFERENCES communities(id),
  parent_id INTEGER REFERENCES community_posts(id),
  depth INTEGER NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  language TEXT NOT NULL,
  body TEXT NOT NULL,                   -- Markdown
  created_at TEXT NOT NULL,
  edited_at TEXT,
  hidden_at TEXT,
  hidden_by INTEGER REFERENCES users(id),
  hidden_reason TEXT
);
CREATE INDEX community_posts_thread ON community_posts (thread_id, id);
CREATE INDEX community_posts_recent ON community_posts (community_id, created_at);
CREATE TABLE community_mentions (
  post_id INTEGER NOT NULL REFERENCES community_posts(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (post_id, user_id)
);
CREATE TABLE community_readers (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  digest TEXT NOT NULL,                 -- none, daily, weekly
  language TEXT NOT NULL,               -- of their emails: en, fr, es, pt
  updated_at TEXT NOT NULL
);
CREATE TABLE community_digests (
  user_id INTEGER NOT NULL REFERENCES users(id),
  period TEXT NOT NULL,                 -- daily:2027-01-14, weekly:2027-W02
  posts INTEGER NOT NULL,               -- 0: nothing new, no email
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, period)
);
