-- The full-text index again, with ligatures and letters of their own spelled as
-- PostgreSQL's unaccent spells them (solidum_fold, registered by the store on every
-- connection: text::FoldLetters), so that "coeur" finds "cœur" and both stores agree.
DELETE FROM organisations_fts;
INSERT INTO organisations_fts (rowid, names, texts, activities, place)
SELECT o.id,
       solidum_fold(o.name || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(o.other_names)), '')),
       solidum_fold(o.description || ' ' || o.mission || ' ' ||
         COALESCE((SELECT group_concat(COALESCE(json_extract(value, '$.description'), '') || ' ' ||
                                       COALESCE(json_extract(value, '$.mission'), ''), ' ')
                   FROM json_each(o.translations)), '')),
       solidum_fold(COALESCE((SELECT group_concat(a.label_en || ' ' || COALESCE(a.label_fr, '') || ' ' ||
                                     COALESCE(a.label_es, '') || ' ' || COALESCE(a.label_pt, ''), ' ')
                 FROM json_each(o.activities) j JOIN activities a ON a.code = j.value), '')),
       solidum_fold(COALESCE(o.street, '') || ' ' || COALESCE(o.locality, '') || ' ' || COALESCE(o.region, '') || ' ' ||
         COALESCE(o.postcode, ''))
FROM organisations o WHERE o.deleted_at IS NULL;
