# storedump.sh - store_dump DB: the content of a store, independent of the order of its imports:
# every table's rows keyed by pseudonyms and source names instead of row ids and run numbers
# (which do depend on the order), sorted. Sourced by the integration scripts that compare stores.
store_dump() {
  sqlite3 "$1" <<'SQL'
SELECT 'patient', hex(p.pseudonym), p.h, p.sex, p.birth_date, p.birth_precision, p.residence,
  p.vital_status, p.vital_status_date, p.death_cause, s.name, p.nsources, p.conflict, p.death_place
  FROM patients p JOIN sources s ON s.id = p.source ORDER BY 2;
SELECT 'obs', hex(p.pseudonym), s.name, o.h, o.sex, o.birth_date, o.birth_precision, o.residence,
  o.vital_status, o.vital_status_date, o.death_cause, o.line, o.death_place
  FROM patient_obs o JOIN patients p USING (pid) JOIN sources s ON s.id = o.source ORDER BY 2, 3;
SELECT 'tumour', hex(t.tkey), hex(p.pseudonym), t.h, t.diagnosis_date, t.icd10, t.topography,
  t.morphology, t.stage_system, t.stage, t.centre_id, t.site, s.name, t.line
  FROM tumours t JOIN patients p USING (pid) JOIN sources s ON s.id = t.source ORDER BY 2;
SELECT 'event', hex(p.pseudonym), e.h, e.date, e.type, hex(t.tkey), e.centre_id, e.code, e.detail,
  e.end_date, e.setting
  FROM events e JOIN patients p USING (pid) LEFT JOIN tumours t ON t.tid = e.tid ORDER BY 2, 3;
SELECT 'alteration', hex(p.pseudonym), a.h, hex(t.tkey), a.gene, a.alteration, a.partner_gene,
  a.platform_id, a.date
  FROM alterations a JOIN patients p USING (pid) LEFT JOIN tumours t ON t.tid = a.tid ORDER BY 2, 3;
SELECT 'line', hex(p.pseudonym), s.name, l.line, l.h, l.start_date, l.end_date, l.regimen,
  l.end_reason FROM treatment_lines l JOIN patients p USING (pid) JOIN sources s ON s.id = l.source
  ORDER BY 2, 3, 4;
SELECT 'conflict', hex(p.pseudonym), c.field, hex(t.tkey), sa.name, sb.name
  FROM conflicts c JOIN patients p USING (pid) LEFT JOIN tumours t ON t.tid = c.tid
  JOIN sources sa ON sa.id = c.source_a JOIN sources sb ON sb.id = c.source_b ORDER BY 2, 3, 4, 5, 6;
SELECT 'quarantine', s.name, q.file, q.line, q.field, q.reason, q.severity, hex(q.row_key), q.value_h
  FROM quarantine q JOIN sources s ON s.id = q.source ORDER BY 2, 3, 4, 5, 6;
SELECT 'centre', c.centre_id, c.h, c.name, c.departement, c.authorisations, c.networks, s.name
  FROM centres c JOIN sources s ON s.id = c.source ORDER BY 2;
SQL
}
