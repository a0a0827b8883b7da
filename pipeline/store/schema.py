"""The database schema, as numbered migrations. docs/schema.md documents every column.

A migration is applied once, in order, inside a transaction; ``schema_migrations`` records
which ran. Never edit a released migration: add the next one.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial tables",
        """
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  command TEXT NOT NULL,
  args TEXT NOT NULL,
  code_version TEXT NOT NULL,
  stage_versions TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  articles_seen INTEGER DEFAULT 0,
  articles_processed INTEGER DEFAULT 0,
  articles_skipped INTEGER DEFAULT 0,
  sentences INTEGER DEFAULT 0,
  claims INTEGER DEFAULT 0,
  tags INTEGER DEFAULT 0,
  failures INTEGER DEFAULT 0,
  seconds REAL
);
CREATE TABLE articles (
  id TEXT PRIMARY KEY,
  url TEXT,
  canonical_url TEXT,
  title TEXT,
  published TEXT,
  published_at TEXT,
  author TEXT,
  outlet TEXT,
  byline TEXT,
  source TEXT NOT NULL,
  source_format TEXT NOT NULL,
  fetched_at TEXT,
  warc_file TEXT,
  warc_record_id TEXT,
  text TEXT NOT NULL,
  body_offset INTEGER NOT NULL,
  title_folded TEXT,
  text_folded TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  n_sentences INTEGER NOT NULL,
  n_claims INTEGER NOT NULL,
  n_tags INTEGER NOT NULL,
  stages TEXT NOT NULL,
  stage_versions TEXT NOT NULL,
  run_id TEXT NOT NULL
);
CREATE TABLE sentences (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  idx INTEGER NOT NULL,
  paragraph INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  text_folded TEXT NOT NULL,
  run_id TEXT NOT NULL
);
CREATE INDEX sentences_article ON sentences(article_id);
CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  sentence_id TEXT,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  sentence TEXT NOT NULL,
  value REAL NOT NULL,
  value_max REAL,
  denominator REAL,
  measure TEXT NOT NULL,
  status TEXT NOT NULL,
  qualifier TEXT NOT NULL,
  unit TEXT,
  subject TEXT,
  period TEXT,
  organisation TEXT,
  organisation_id TEXT,
  location TEXT,
  province_id TEXT,
  province_new_id TEXT,
  speaker TEXT,
  year INTEGER,
  year_source TEXT,
  extractor_version TEXT NOT NULL,
  run_id TEXT NOT NULL
);
CREATE INDEX claims_article ON claims(article_id);
CREATE INDEX claims_measure ON claims(measure, status);
CREATE INDEX claims_province ON claims(province_id);
CREATE INDEX claims_province_new ON claims(province_new_id);
CREATE INDEX claims_year ON claims(year);
CREATE TABLE campaign_tags (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  campaign_id TEXT NOT NULL,
  mode TEXT NOT NULL,
  score REAL NOT NULL,
  evidence TEXT,
  start INTEGER,
  "end" INTEGER,
  paragraph INTEGER,
  tagger_version TEXT NOT NULL,
  run_id TEXT NOT NULL
);
CREATE INDEX campaign_tags_article ON campaign_tags(article_id);
CREATE INDEX campaign_tags_campaign ON campaign_tags(campaign_id);
CREATE TABLE failures (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  article_id TEXT,
  stage TEXT NOT NULL,
  error_type TEXT NOT NULL,
  message TEXT NOT NULL,
  run_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX failures_article ON failures(article_id);
CREATE VIRTUAL TABLE sentences_fts USING fts5(
  text_folded, content='sentences', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
  INSERT INTO sentences_fts(rowid, text_folded) VALUES (new.rowid, new.text_folded);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
  INSERT INTO sentences_fts(sentences_fts, rowid, text_folded)
  VALUES ('delete', old.rowid, old.text_folded);
END;
CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN
  INSERT INTO sentences_fts(sentences_fts, rowid, text_folded)
  VALUES ('delete', old.rowid, old.text_folded);
  INSERT INTO sentences_fts(rowid, text_folded) VALUES (new.rowid, new.text_folded);
END;
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title_folded, text_folded, content='articles', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title_folded, text_folded)
  VALUES (new.rowid, new.title_folded, new.text_folded);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title_folded, text_folded)
  VALUES ('delete', old.rowid, old.title_folded, old.text_folded);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title_folded, text_folded)
  VALUES ('delete', old.rowid, old.title_folded, old.text_folded);
  INSERT INTO articles_fts(rowid, title_folded, text_folded)
  VALUES (new.rowid, new.title_folded, new.text_folded);
END;
""",
    ),
    (
        2,
        "claims search index and claims view",
        """
CREATE VIRTUAL TABLE claims_fts USING fts5(
  sentence_folded, title_folded, tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN
  INSERT INTO claims_fts(rowid, sentence_folded, title_folded) VALUES (
    new.rowid,
    COALESCE(
      (SELECT s.text_folded FROM sentences s WHERE s.id = new.sentence_id),
      (SELECT s.text_folded FROM sentences s WHERE s.article_id = new.article_id
         AND s.start <= new.start AND s."end" >= new."end" ORDER BY s.start DESC LIMIT 1),
      ''),
    COALESCE((SELECT a.title_folded FROM articles a WHERE a.id = new.article_id), ''));
END;
CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN
  DELETE FROM claims_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER claims_fts_au AFTER UPDATE ON claims BEGIN
  DELETE FROM claims_fts WHERE rowid = old.rowid;
  INSERT INTO claims_fts(rowid, sentence_folded, title_folded) VALUES (
    new.rowid,
    COALESCE(
      (SELECT s.text_folded FROM sentences s WHERE s.id = new.sentence_id),
      (SELECT s.text_folded FROM sentences s WHERE s.article_id = new.article_id
         AND s.start <= new.start AND s."end" >= new."end" ORDER BY s.start DESC LIMIT 1),
      ''),
    COALESCE((SELECT a.title_folded FROM articles a WHERE a.id = new.article_id), ''));
END;
INSERT INTO claims_fts(rowid, sentence_folded, title_folded)
SELECT c.rowid,
  COALESCE(
    (SELECT s.text_folded FROM sentences s WHERE s.id = c.sentence_id),
    (SELECT s.text_folded FROM sentences s WHERE s.article_id = c.article_id
       AND s.start <= c.start AND s."end" >= c."end" ORDER BY s.start DESC LIMIT 1),
    ''),
  COALESCE((SELECT a.title_folded FROM articles a WHERE a.id = c.article_id), '')
FROM claims c;
CREATE INDEX claims_organisation ON claims(organisation_id);
CREATE INDEX articles_published ON articles(published);
CREATE VIEW claims_view AS
SELECT c.id, c.value, c.value_max, c.denominator, c.measure, c.status, c.qualifier, c.unit,
  c.subject, c.period, c.year, c.year_source, c.organisation, c.organisation_id, c.location,
  c.province_id, c.province_new_id, c.speaker, c.text, c.sentence,
  (SELECT json_group_array(t.campaign_id) FROM campaign_tags t
     WHERE t.article_id = c.article_id) AS campaigns,
  c.article_id, a.title AS article_title, a.published AS article_published,
  a.url AS article_url, a.outlet AS article_outlet, a.warc_file, a.warc_record_id,
  c.extractor_version, c.run_id
FROM claims c JOIN articles a ON a.id = c.article_id;
""",
    ),
    (
        3,
        "cross-claim checks (docs/checks.md)",
        """
CREATE TABLE checks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  verdict TEXT NOT NULL,
  article_id TEXT,
  article_ids TEXT NOT NULL,
  claim_ids TEXT NOT NULL,
  roles TEXT NOT NULL,
  stated TEXT NOT NULL,
  computed TEXT NOT NULL,
  stated_value REAL,
  computed_value REAL,
  assumption TEXT,
  explanation_vi TEXT NOT NULL,
  explanation_en TEXT NOT NULL,
  checker_version TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX checks_article ON checks(article_id);
CREATE INDEX checks_kind ON checks(kind, verdict);
CREATE TABLE check_claims (
  check_id TEXT NOT NULL REFERENCES checks(id),
  claim_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (check_id, claim_id)
);
CREATE INDEX check_claims_claim ON check_claims(claim_id);
""",
    ),
    (
        4,
        "search index rows written by Store.write, one statement per batch",
        # An FTS5 insert from a per-row trigger runs inside a statement savepoint, on which
        # FTS5 flushes its pending terms: one tiny index segment (and merge work) per row.
        # Store.write now fills articles_fts, sentences_fts and claims_fts with one
        # INSERT ... SELECT per table and batch (pipeline.store.sqlite.INDEX_SQL, the same
        # rows and values as these triggers). The delete and update triggers stay.
        """
DROP TRIGGER articles_ai;
DROP TRIGGER sentences_ai;
DROP TRIGGER claims_fts_ai;
""",
    ),
    (
        5,
        "index on failures.source",
        # Store.write clears an article's old failure rows by source before it stores the
        # article; without an index that scanned the whole failures table once per article.
        """
CREATE INDEX failures_source ON failures(source);
""",
    ),
]

# Tables analysts get from `pipeline export` (FTS shadow tables excluded).
EXPORT_TABLES = ("articles", "sentences", "claims", "campaign_tags", "failures", "runs")
