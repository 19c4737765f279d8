//! The SQLite dataset as analysts use it: `planparse index` over the corpus,
//! `planparse search`, and the tables read with plain SQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use planparse::dataset::sqlite::terms::fold_char;
use planparse::dataset::sqlite::{statements, Dataset, Hit, Query, Table, UnitKind, SCHEMA, SCHEMA_VERSION};
use planparse::dataset::vocabulary::PARTIES;
use rusqlite::Connection;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name)
}

/// Every PDF, DOCX and text document of the corpus (not the gold JSON).
fn corpus_inputs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(""))
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf" || e == "docx" || e == "txt"))
        .collect();
    files.sort();
    files
}

fn index(db: &Path, inputs: &[PathBuf]) -> Output {
    bin().arg("index").arg(db).args(inputs).output().expect("planparse runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `planparse index` that must succeed; its stderr (the report).
fn index_ok(db: &Path, inputs: &[PathBuf]) -> String {
    let out = index(db, inputs);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stderr(&out)
}

/// The whole corpus indexed once, shared read-only by the search tests.
fn corpus_db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let db = dir.join("corpus.sqlite");
        index_ok(&db, &corpus_inputs());
        db
    })
}

/// The highlighted spans of a hit's snippet, each with the 10 chars before it.
fn highlighted(hit: &Hit) -> Vec<(String, String)> {
    let chars: Vec<char> = hit.snippet.chars().collect();
    hit.highlights
        .iter()
        .map(|[start, end]| {
            assert!(start < end && *end <= chars.len(), "offsets in range: {:?} in {:?}", hit.highlights, hit.snippet);
            (chars[start.saturating_sub(10)..*start].iter().collect(), chars[*start..*end].iter().collect())
        })
        .collect()
}

/// Row counts of every table, and every document's `indexed_at`.
fn state(db: &Path) -> (Vec<i64>, Vec<(String, String)>) {
    let dataset = Dataset::open_read_only(db).expect("opens");
    let counts = Table::ALL.iter().map(|t| dataset.count(*t).expect("counts")).collect();
    let conn = dataset.connection();
    let mut stmt = conn.prepare("SELECT path, indexed_at FROM documents ORDER BY path").expect("prepares");
    let stamps = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("queries").map(|r| r.expect("row")).collect();
    (counts, stamps)
}

/// FTS5's own consistency check of both indexes against the `search_units`
/// view, plus no child row without its parent.
fn assert_consistent(db: &Path) {
    let conn = Connection::open(db).expect("opens");
    for table in ["search_trigram", "search_words"] {
        conn.execute(&format!("INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"), []).unwrap_or_else(|e| panic!("{table} integrity: {e}"));
    }
    let orphans: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM actions WHERE measure NOT IN (SELECT id FROM measures))
                  + (SELECT count(*) FROM action_items WHERE measure NOT IN (SELECT id FROM measures))
                  + (SELECT count(*) FROM indicators WHERE measure NOT IN (SELECT id FROM measures))
                  + (SELECT count(*) FROM responsible WHERE measure NOT IN (SELECT id FROM measures))
                  + (SELECT count(*) FROM measures WHERE document_id NOT IN (SELECT id FROM documents))
                  + (SELECT count(*) FROM agenda_items WHERE document_id NOT IN (SELECT id FROM documents))",
            [],
            |r| r.get(0),
        )
        .expect("counts orphans");
    assert_eq!(orphans, 0, "rows left without their parent");
}

#[test]
fn stotte_finds_measures_containing_forskningsstotte() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    let hits = dataset.search(&Query { limit: 100, ..Query::new("støtte") }).expect("searches").hits;
    let hit = hits
        .iter()
        .find(|h| highlighted(h).iter().any(|(before, span)| before.ends_with("forsknings") && span == "støtte"))
        .expect("a hit inside forskningsstøtte");
    assert_eq!(hit.unit, UnitKind::Measure);
    assert!(!hit.file.is_empty() && !hit.responsible.is_empty(), "{hit:?}");
    // The measure the hit names really contains the compound.
    let text: String = dataset
        .connection()
        .query_row(
            "SELECT text || ' ' || actions || ' ' || indicators FROM search_units
             WHERE id = (SELECT id FROM measures WHERE document_id = ?1 AND measure_id = ?2)",
            [&hit.document_id, &hit.id],
            |r| r.get(0),
        )
        .expect("the measure");
    assert!(text.to_lowercase().contains("forskningsstøtte"), "{text}");
    // A decomposed query (ø is one letter, but å may arrive as a + ring) is the same query.
    let composed = dataset.search(&Query::new("nivå")).expect("searches").hits.len();
    assert!(composed > 0);
    assert_eq!(dataset.search(&Query::new("niva\u{30A}")).expect("searches").hits.len(), composed);
    // Case-insensitive, but ø is not o.
    assert_eq!(dataset.search(&Query::new("STØTTE")).expect("searches").hits.len(), dataset.search(&Query::new("støtte")).expect("searches").hits.len());
    assert!(dataset.search(&Query::new("stotte")).expect("searches").hits.is_empty());

    let out = bin().arg("search").arg(corpus_db()).args(["støtte", "--json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // Plain snippets; the matches as char offsets (`«` is quotation in the corpus, never a mark).
    let mut inside_compound = 0;
    for h in json["hits"].as_array().expect("hits") {
        let snippet: Vec<char> = h["snippet"].as_str().expect("snippet").chars().collect();
        assert!(!snippet.contains(&'\u{E000}') && !snippet.contains(&'\u{E001}'));
        for span in h["highlights"].as_array().expect("highlights") {
            let (start, end) = (span[0].as_u64().expect("start") as usize, span[1].as_u64().expect("end") as usize);
            let matched: String = snippet[start..end].iter().collect();
            assert_eq!(matched.to_lowercase(), "støtte", "{h}");
            if snippet[..start].iter().collect::<String>().ends_with("forsknings") {
                inside_compound += 1;
            }
        }
        // The whole unit comes with the hit.
        assert!(h["text"].is_string() && h["actions"].is_array() && h["indicators"].is_array() && h["responsible"].is_array(), "{h}");
        assert!(h.get("deadline").is_some() && h.get("status").is_some() && h["section_title"].is_string(), "{h}");
    }
    assert!(inside_compound > 0, "a match inside forskningsstøtte");
    assert_eq!(json["mode"], "substring");
    assert_eq!(json["index"], "vocabulary", "a substring search never says \"words\"");
    assert!(json["total"].as_u64().expect("total") >= json["hits"].as_array().map_or(0, Vec::len) as u64);
}

/// Every unit whose text holds `needle` (case-folded), as (document, unit id):
/// what a literal search must find, whichever index answers it.
fn substring_scan(conn: &Connection, needle: &str) -> std::collections::BTreeSet<(String, String)> {
    let fold = |s: &str| s.chars().map(fold_char).collect::<String>();
    let needle = fold(needle);
    let mut stmt = conn
        .prepare(
            "SELECT u.document_id, coalesce(m.measure_id, a.number),
                    u.text || ' ' || u.actions || ' ' || u.indicators || ' ' || u.responsible || ' ' || u.decision
             FROM search_units AS u LEFT JOIN measures AS m ON m.id = u.id LEFT JOIN agenda_items AS a ON a.id = u.id",
        )
        .expect("prepares");
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))).expect("queries");
    rows.map(|r| r.expect("row")).filter(|(_, _, text)| fold(text).contains(&needle)).map(|(d, id, _)| (d, id)).collect()
}

#[test]
fn literal_search_finds_exactly_the_units_holding_the_text() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    // (query, the index that must answer it, when the planner's choice is clear-cut)
    let queries = [
        ("støtte", Some("vocabulary")),
        ("Forskningsstøtte", Some("vocabulary")),
        ("kliniske studier", Some("vocabulary")),
        ("iske stud", Some("vocabulary")),
        ("e-helse", None),
        ("-helse", Some("trigram")),
        ("helse-", Some("trigram")),
        ("og i", None),
        ("og ikt", None),
        ("Helse Midt-Norge RHF", Some("vocabulary")),
        ("OUS- forsknings", None),
        ("nivå 2", None),
        ("(RRCT)", Some("trigram")),
        ("2021-2025", Some("vocabulary")),
        ("ledere", Some("vocabulary")),
        ("for", Some("vocabulary")),
        ("ing", Some("vocabulary")),
        ("«", Some("scan")),
        (") –", Some("trigram")),
        ("zebrafisk", Some("none")),
        ("UH", Some("scan")),
        ("ø", Some("scan")),
    ];
    for (text, index) in queries {
        let results = dataset.search(&Query { limit: 100_000, rank_window: 100_000, ..Query::new(text) }).expect("searches");
        if let Some(index) = index {
            assert_eq!(results.index, index, "{text:?} answered by");
        }
        assert_eq!(results.ranked_within, None);
        assert_eq!(results.total, results.hits.len(), "{text:?}: every hit returned");
        // A hit stands for its unit in every form of the plan; the forms whose unit matched are the matches.
        let matched: Vec<(String, String)> =
            results.hits.iter().flat_map(|h| h.files.iter().filter(|f| f.matched).map(|f| (f.document_id.clone(), f.id.clone()))).collect();
        let found: std::collections::BTreeSet<(String, String)> = matched.iter().cloned().collect();
        assert_eq!(found.len(), matched.len(), "{text:?}: no unit twice");
        assert_eq!(found, substring_scan(dataset.connection(), text), "{text:?}");
        for h in &results.hits {
            assert_eq!(h.files[0].document_id, h.document_id, "the hit's own form first");
            let spans = highlighted(h);
            assert!(!spans.is_empty(), "{text:?}: every snippet shows the match: {h:?}");
            let folded = |s: &str| s.chars().map(fold_char).collect::<String>();
            // A match is whole, or cut by the snippet's end (then `…` follows it).
            let cut_at_end = |span: &str| h.snippet.ends_with(&format!("{span}…")) && folded(text).starts_with(&folded(span));
            assert!(spans.iter().all(|(_, span)| folded(span) == folded(text) || cut_at_end(span)), "{text:?}: {spans:?} in {:?}", h.snippet);
        }
    }
}

#[test]
fn vocabulary_holds_every_word_of_the_word_index() {
    let conn = Connection::open(corpus_db()).expect("opens");
    conn.execute_batch("CREATE VIRTUAL TABLE temp.words_vocab USING fts5vocab(main, search_words, row)").expect("vocab table");
    let missing: Vec<String> = {
        let mut stmt = conn.prepare("SELECT term FROM temp.words_vocab WHERE term NOT IN (SELECT term FROM vocabulary)").expect("prepares");
        stmt.query_map([], |r| r.get(0)).expect("queries").map(|r| r.expect("row")).collect()
    };
    assert!(missing.is_empty(), "words the vocabulary lacks: {missing:?}");
}

#[test]
fn broad_queries_rank_within_a_window() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    let narrow = dataset.search(&Query { rank_window: 5, limit: 3, ..Query::new("forskning") }).expect("searches");
    assert_eq!(narrow.ranked_within, Some(5));
    assert_eq!(narrow.hits.len(), 3);
    let all = dataset.search(&Query { limit: 3, ..Query::new("forskning") }).expect("searches");
    assert_eq!(all.ranked_within, None);
    assert!(all.hits.windows(2).all(|w| w[0].score <= w[1].score), "best bm25 first");
}

#[test]
fn responsible_filter_keeps_only_that_party() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    let all = dataset.search(&Query { limit: 1000, ..Query::new("forskning") }).expect("searches").hits;
    let filtered = dataset.search(&Query { limit: 1000, responsible: Some("klinikkleder".into()), ..Query::new("forskning") }).expect("searches").hits;
    assert!(!filtered.is_empty() && filtered.len() < all.len(), "{} of {}", filtered.len(), all.len());
    for hit in &filtered {
        assert!(hit.responsible.iter().any(|p| p.to_lowercase().contains("klinikkleder")), "{:?}", hit.responsible);
    }

    // Printed `Avd. ledere` and the word `avdelingsledere` mean the same party.
    let printed = dataset.search(&Query { limit: 1000, responsible: Some("Avd. ledere".into()), ..Query::new("") }).expect("searches").hits;
    let normalized = dataset.search(&Query { limit: 1000, responsible: Some("avdelingsledere".into()), ..Query::new("") }).expect("searches").hits;
    assert!(!printed.is_empty());
    assert_eq!(printed.len(), normalized.len());

    let out = bin().arg("search").arg(corpus_db()).args(["forskning", "--responsible", "klinikkleder", "--json", "-n", "1000"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["hits"].as_array().map(Vec::len), Some(filtered.len()));
}

#[test]
fn document_filters_narrow_by_organization_period_and_kind() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    let search = |q: Query| dataset.search(&Query { limit: 1000, ..q }).expect("searches").hits;
    let krn = search(Query { organization: Some("KRN".into()), ..Query::new("forskning") });
    assert!(!krn.is_empty() && krn.iter().all(|h| h.organization.as_deref() == Some("KRN")));
    let period = search(Query { period: Some((2024, 2030)), ..Query::new("forskning") });
    assert!(!period.is_empty() && period.iter().all(|h| h.period.is_some_and(|p| p.to >= 2024)));
    let minutes = search(Query { kind: Some(planparse::model::DocumentKind::MeetingMinutes), ..Query::new("vedtak") });
    assert!(!minutes.is_empty() && minutes.iter().all(|h| h.unit == UnitKind::AgendaItem && h.kind == "meeting_minutes"));
}

#[test]
fn party_names_are_normalized_by_the_vocabulary() {
    let conn = Connection::open(corpus_db()).expect("opens");
    let norm = |party: &str| -> Vec<String> {
        let mut stmt = conn.prepare("SELECT DISTINCT party_norm FROM responsible WHERE party = ?1 ORDER BY party_norm").expect("prepares");
        stmt.query_map([party], |r| r.get(0)).expect("queries").map(|r| r.expect("row")).collect()
    };
    assert_eq!(norm("Avd. ledere"), ["avdelingsledere"]);
    assert_eq!(norm("Helseforetak"), ["helseforetakene"]);
    assert_eq!(norm("Helseforetakene"), ["helseforetakene"]);
    assert_eq!(norm("Helse Midt-Norge RHF (Fellesoppdrag alle RHF)"), ["helse midt-norge rhf"]);
    assert_eq!(norm("Klinikk/Avdeling"), ["avdelingene", "klinikken"]);
}

#[test]
fn short_queries_fall_back_to_like() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    let hits = dataset.search(&Query::new("UH")).expect("searches").hits;
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| highlighted(h).iter().any(|(_, span)| span.to_lowercase() == "uh")), "{hits:?}");
    // Non-ASCII letters fold case too.
    let lower = dataset.search(&Query { limit: 1000, ..Query::new("øk") }).expect("searches").hits;
    let upper = dataset.search(&Query { limit: 1000, ..Query::new("ØK") }).expect("searches").hits;
    assert!(!lower.is_empty());
    assert_eq!(lower.len(), upper.len());
}

#[test]
fn malformed_fts_query_gives_a_clear_message() {
    let out = bin().arg("search").arg(corpus_db()).args(["klinisk AND (", "--fts"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot parse query \"klinisk AND (\": use quotes for phrases"), "{err}");
    assert!(!err.to_lowercase().contains("sqlite") && !err.contains("SELECT"), "no SQL in the message: {err}");

    // Without --fts the same text is literal, and hostile text is only text.
    for literal in ["klinisk AND (", "\"kliniske studier", "'; DROP TABLE documents; --", "NEAR(a b", "støtte*"] {
        let out = bin().arg("search").arg(corpus_db()).arg(literal).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{literal}: {}", stderr(&out));
    }
    let documents: i64 = Connection::open(corpus_db()).expect("opens").query_row("SELECT count(*) FROM documents", [], |r| r.get(0)).expect("counts");
    assert_eq!(documents, corpus_inputs().len() as i64);
}

#[test]
fn every_indexed_document_reads_back_as_converted() {
    let dataset = Dataset::open_read_only(corpus_db()).expect("opens");
    let documents = dataset.documents().expect("lists");
    assert_eq!(documents.len(), corpus_inputs().len());
    for input in corpus_inputs() {
        let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(&input).expect("reads");
        let mut expected = planparse::pipeline::convert_bytes(&name, &bytes, &planparse::pipeline::Options::default()).expect("converts");
        // A table without rows has no row to be kept by.
        expected.tables.retain(|t| !t.rows.is_empty());
        let id = expected.source.sha256.clone();
        let summary = documents.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("{name} listed"));
        assert_eq!(summary.measures as usize, expected.measures.len(), "{name}");
        assert_eq!(summary.abs_path, input.canonicalize().expect("absolute").display().to_string(), "{name}");
        assert_eq!(summary.rel_path, name, "a file named on the command line is its own name");
        let read = dataset.document(&id).expect("reads").unwrap_or_else(|| panic!("{name} indexed"));
        assert!(read == expected, "{name}: the document read back differs from its conversion");
    }
    assert!(dataset.document(&"0".repeat(64)).expect("reads").is_none());
    assert!(dataset.document_summary("nope").expect("reads").is_none());
}

#[test]
fn reindexing_unchanged_inputs_is_a_no_op() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let inputs = [corpus("hlk-2021-2025.pdf"), corpus("krn-2020-2022.txt"), corpus("nsg-referat-2025-11-27.docx")];
    index_ok(&db, &inputs);
    let before = state(&db);
    std::thread::sleep(Duration::from_millis(20)); // a rewrite would show in indexed_at
    let report = index_ok(&db, &inputs);
    assert!(report.contains("0 added, 0 replaced, 3 unchanged"), "{report}");
    assert_eq!(state(&db), before);
    assert!(before.0[Table::Measures as usize] > 0 && before.0[Table::AgendaItems as usize] > 0);
    assert_consistent(&db);
}

#[test]
fn a_changed_file_replaces_its_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let plan = dir.path().join("hlk.txt");
    let original = std::fs::read_to_string(corpus("hlk-2021-2025.txt")).expect("reads");
    assert!(original.contains("Klinikkleder"));
    std::fs::write(&plan, &original).expect("writes");
    let other = corpus("krn-2020-2022.txt");
    index_ok(&db, &[plan.clone(), other.clone()]);
    let (counts, _) = state(&db);

    std::fs::write(&plan, original.replace("Klinikkleder", "Sykehusdirektør")).expect("writes");
    let report = index_ok(&db, &[plan.clone(), other]);
    assert!(report.contains("1 replaced, 1 unchanged"), "{report}");
    let (after, _) = state(&db);
    assert_eq!(after, counts, "same shape, same row counts: the old rows are gone");

    let dataset = Dataset::open_read_only(&db).expect("opens");
    let sha: String = dataset.connection().query_row("SELECT input_sha256 FROM documents WHERE file = 'hlk.txt'", [], |r| r.get(0)).expect("the document");
    assert_eq!(sha, planparse::pipeline::sha256_hex(&std::fs::read(&plan).expect("reads")));
    let new = dataset.search(&Query { responsible: Some("sykehusdirektør".into()), ..Query::new("") }).expect("searches").hits;
    assert!(!new.is_empty());
    let old = dataset.search(&Query { responsible: Some("klinikkleder".into()), ..Query::new("") }).expect("searches").hits;
    assert!(old.is_empty(), "{old:?}");
    assert!(dataset.search(&Query::new("Sykehusdirektør")).expect("searches").hits.iter().all(|h| h.file == "hlk.txt"));
    assert_consistent(&db);
}

#[test]
fn converted_json_indexes_like_its_source_and_duplicates_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let json = dir.path().join("krn.json");
    let out = bin().arg("convert").arg(corpus("krn-2020-2022.pdf")).output().expect("runs");
    std::fs::write(&json, &out.stdout).expect("writes");
    let report = index_ok(&db, &[json.clone(), corpus("krn-2020-2022.pdf")]);
    assert!(report.contains("1 added, 0 replaced, 0 unchanged, 1 duplicate"), "{report}");
    let dataset = Dataset::open_read_only(&db).expect("opens");
    assert_eq!(dataset.count(Table::Measures).expect("counts"), 18);

    std::fs::write(dir.path().join("notes.json"), "{\"not\": \"a plan\"}").expect("writes");
    let out = index(&db, &[dir.path().join("notes.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("notes.json: not a planparse document"), "{}", stderr(&out));
}

#[test]
fn schema_matches_the_documented_one() {
    // sqlite_master holds exactly the statements of SCHEMA (FTS5's shadow tables aside).
    let conn = Connection::open(corpus_db()).expect("opens");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, SCHEMA_VERSION);
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").expect("prepares");
    let virtual_tables: Vec<&str> =
        statements().iter().filter_map(|s| s.strip_prefix("CREATE VIRTUAL TABLE ")).filter_map(|s| s.split_whitespace().next()).collect();
    let shadow = |name: &str| {
        ["_data", "_idx", "_content", "_docsize", "_config"].iter().any(|suffix| name.strip_suffix(suffix).is_some_and(|base| virtual_tables.contains(&base)))
    };
    let actual: Vec<String> = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("queries")
        .map(|r| r.expect("row"))
        .filter(|(name, _)| !shadow(name))
        .map(|(_, sql)| squash(&sql))
        .collect();
    let expected: Vec<String> = statements().iter().map(|s| squash(s)).collect();
    assert_eq!(actual, expected);

    // docs/dataset.md shows the same statements.
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/dataset.md")).expect("docs/dataset.md");
    let block =
        docs.split("<!-- schema:begin -->").nth(1).and_then(|rest| rest.split("<!-- schema:end -->").next()).expect("a schema block in docs/dataset.md");
    let block = block.trim().trim_start_matches("```sql").trim_end_matches("```");
    assert_eq!(squash(block), squash(SCHEMA), "docs/dataset.md's schema block is stale");

    // And every normalized party of the vocabulary is in its documented table.
    for (canonical, _) in PARTIES {
        assert!(docs.contains(&format!("| `{canonical}` |")), "{canonical} missing from docs/dataset.md");
    }
}

/// White space runs folded, for comparing SQL text.
fn squash(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_second_writer_gets_the_locked_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    index_ok(&db, &[corpus("hlk-2021-2025.txt")]);
    let before = state(&db);

    let mut holder = Connection::open(&db).expect("opens");
    let tx = holder.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).expect("takes the write lock");
    let started = Instant::now();
    let out = index(&db, &[corpus("krn-2020-2022.txt")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("database is locked by another planparse process"), "{err}");
    assert!(!err.contains("SQLITE_BUSY") && !err.contains("database is locked\n"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "gave up quickly");

    // A reader is not blocked by the writer.
    let out = bin().arg("search").arg(&db).arg("forskning").output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    tx.rollback().expect("releases");
    assert_eq!(state(&db), before);
    index_ok(&db, &[corpus("krn-2020-2022.txt")]);
}

#[test]
fn optimize_keeps_the_indexes_consistent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    index_ok(&db, &[corpus("hlk-2021-2025.txt"), corpus("nsg-referat-2025-11-27.txt")]);
    let before = Dataset::open_read_only(&db).expect("opens").search(&Query::new("støtte")).expect("searches").hits.len();
    let out = bin().arg("index").arg(&db).arg(corpus("krn-2020-2022.txt")).arg("--optimize").output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_consistent(&db);
    assert!(Dataset::open_read_only(&db).expect("opens").search(&Query::new("støtte")).expect("searches").hits.len() > before);
}

#[test]
fn an_uncommitted_run_leaves_the_previous_dataset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    index_ok(&db, &[corpus("hlk-2021-2025.txt")]);
    let before = state(&db);
    let krn =
        planparse::pipeline::convert_bytes("krn.txt", &std::fs::read(corpus("krn-2020-2022.txt")).expect("reads"), &Default::default()).expect("converts");
    {
        let mut dataset = Dataset::open(&db).expect("opens");
        let mut writer = dataset.writer().expect("writes");
        writer.put("/elsewhere/krn.txt", &krn.source.sha256, &krn).expect("puts");
        // Dropped without commit: what an interrupted run amounts to.
    }
    assert_eq!(state(&db), before);
    assert_consistent(&db);
}

#[test]
fn search_without_a_dataset_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bin().arg("search").arg(dir.path().join("none.sqlite")).arg("støtte").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no dataset here"), "{}", stderr(&out));
    let foreign = dir.path().join("other.sqlite");
    Connection::open(&foreign).expect("opens").execute_batch("CREATE TABLE t (x)").expect("creates");
    let out = index(&foreign, &[corpus("hlk-2021-2025.txt")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a planparse dataset"), "{}", stderr(&out));
}

#[test]
fn the_pdf_and_docx_of_one_plan_are_one_hit_listing_both_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    index_ok(&db, &[corpus("krn-2020-2022.pdf"), corpus("krn-2020-2022.docx"), corpus("hmn-2023-2026.pdf")]);
    let dataset = Dataset::open_read_only(&db).expect("opens");
    let keys: Vec<(String, String)> = {
        let mut stmt = dataset.connection().prepare("SELECT rel_path, plan_key FROM documents ORDER BY rel_path").expect("prepares");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("queries").map(|r| r.expect("row")).collect()
    };
    assert_eq!(keys[1].1, keys[2].1, "the KRN forms share a plan key: {keys:?}");
    assert_ne!(keys[0].1, keys[1].1, "HMN is another plan: {keys:?}");

    let results = dataset.search(&Query { limit: 100, ..Query::new("stipendiater") }).expect("searches");
    let krn: Vec<&Hit> = results.hits.iter().filter(|h| h.organization.as_deref() == Some("KRN")).collect();
    assert!(!krn.is_empty());
    // Each KRN measure once, naming both files, both of which matched.
    let ids: std::collections::BTreeSet<&str> = krn.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), krn.len(), "one hit per measure, not one per form");
    for h in &krn {
        let files: Vec<&str> = h.files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files.contains(&"krn-2020-2022.pdf") && files.contains(&"krn-2020-2022.docx"), "{files:?}");
        assert!(h.files.iter().all(|f| f.matched && f.id == h.id), "{:?}", h.files);
    }
    assert_eq!(results.total, results.hits.len(), "the total counts hits, not forms");
    // Without grouping there would be twice as many KRN units.
    let units: i64 = dataset
        .connection()
        .query_row(
            "SELECT count(*) FROM search_units AS u JOIN documents AS d ON d.id = u.document_id
             WHERE d.organization = 'KRN' AND (u.text || ' ' || u.actions || ' ' || u.indicators) LIKE '%stipendiater%'",
            [],
            |r| r.get(0),
        )
        .expect("counts");
    assert_eq!(units as usize, 2 * krn.len());

    // The command line names the plan once with its files.
    let out = bin().arg("search").arg(&db).args(["stipendiater", "-n", "1"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("files: krn-2020-2022.docx, krn-2020-2022.pdf") || text.contains("files: krn-2020-2022.pdf, krn-2020-2022.docx"), "{text}");
}

#[test]
fn piped_search_output_has_a_count_line_and_no_marks() {
    let out = bin().arg("search").arg(corpus_db()).args(["støtte", "-n", "3"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let first = text.lines().next().expect("a count line");
    let json: serde_json::Value =
        serde_json::from_slice(&bin().arg("search").arg(corpus_db()).args(["støtte", "--json"]).output().expect("runs").stdout).expect("JSON");
    let total = json["total"].as_u64().expect("total");
    assert!(total > 3);
    assert!(first.starts_with(&format!("3 of {total} hits for \"støtte\"")), "{first}");
    assert!(!text.contains('\x1b'), "no ANSI codes into a pipe");
    // The snippet lines are the plain snippets: nothing added around the matches.
    let snippets: Vec<&str> = text.lines().skip(1).skip(2).step_by(3).map(str::trim).collect();
    let expected: Vec<&str> = json["hits"].as_array().expect("hits").iter().take(3).map(|h| h["snippet"].as_str().expect("snippet")).collect();
    assert_eq!(snippets, expected);

    let none = bin().arg("search").arg(corpus_db()).arg("zzqqxx").output().expect("runs");
    assert!(
        String::from_utf8_lossy(&none.stdout).starts_with("0 hits for \"zzqqxx\" (substring search, none index)"),
        "{}",
        String::from_utf8_lossy(&none.stdout)
    );
}

#[test]
fn deadlines_statuses_and_extra_columns_are_stored_and_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let plan = corpus("zoo/hmr-forsking-innovasjon-2025-2027.pdf");
    index_ok(&db, std::slice::from_ref(&plan));
    let bytes = std::fs::read(&plan).expect("reads");
    let expected =
        planparse::pipeline::convert_bytes("hmr-forsking-innovasjon-2025-2027.pdf", &bytes, &planparse::pipeline::Options::default()).expect("converts");
    assert!(expected.measures.iter().any(|m| m.deadline.is_some()) && expected.measures.iter().any(|m| m.status.is_some()));
    assert!(expected.measures.iter().any(|m| !m.extra.is_empty()));
    let dataset = Dataset::open_read_only(&db).expect("opens");
    let read = dataset.document(&expected.source.sha256).expect("reads").expect("indexed");
    for (a, b) in read.measures.iter().zip(&expected.measures) {
        assert_eq!((&a.deadline, &a.status, &a.extra), (&b.deadline, &b.status, &b.extra), "{}", b.id);
    }
    // Search hits carry them too.
    let with_deadline = expected.measures.iter().find(|m| m.deadline.is_some()).expect("a deadline");
    let hits = dataset.search(&Query { limit: 1000, ..Query::new("") }).expect("searches").hits;
    let hit = hits.iter().find(|h| h.id == with_deadline.id).expect("the measure");
    assert_eq!(hit.deadline, with_deadline.deadline);
}

#[test]
fn documents_keep_their_path_relative_to_the_indexed_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("plans");
    std::fs::create_dir_all(root.join("2020")).expect("mkdir");
    std::fs::copy(corpus("krn-2020-2022.txt"), root.join("2020/krn.txt")).expect("copy");
    let db = dir.path().join("plans.sqlite");
    index_ok(&db, std::slice::from_ref(&root));
    let dataset = Dataset::open_read_only(&db).expect("opens");
    let docs = dataset.documents().expect("lists");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].rel_path, "2020/krn.txt");
    assert!(docs[0].abs_path.starts_with('/') && docs[0].abs_path.ends_with("plans/2020/krn.txt"));
    let json = serde_json::to_value(&docs[0]).expect("serializes");
    assert_eq!(json["path"], "2020/krn.txt");
    assert!(!json.to_string().contains(&dir.path().display().to_string()), "no absolute path in {json}");
}

#[test]
fn forms_whose_parse_differs_a_little_are_grouped_with_a_note() {
    // The zoo's SSHF plan: its text form reads one of 19 measures differently from the DOCX.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let report = index_ok(&db, &[corpus("zoo/sshf-forskning-2024-2027.docx"), corpus("zoo/sshf-forskning-2024-2027.txt")]);
    assert!(
        report.contains("note: sshf-forskning-2024-2027.txt: taken as another form of sshf-forskning-2024-2027.docx (18 of 19"),
        "the guess is reported: {report}"
    );
    let dataset = Dataset::open_read_only(&db).expect("opens");
    let keys: Vec<String> = dataset.documents().expect("lists").into_iter().map(|d| d.plan_key).collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    let hits = dataset.search(&Query { limit: 1000, ..Query::new("") }).expect("searches");
    assert_eq!(hits.total, 19, "19 measures, each once");
    assert!(hits.hits.iter().all(|h| h.files.len() == 2));
    // Another plan of the same organization and period is not taken for a form of it.
    let report = index_ok(&db, &[corpus("zoo/ahus-forskning-2024-2027.docx")]);
    assert!(!report.contains("note:"), "{report}");
}

#[test]
fn a_terminal_gets_the_matches_in_bold() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    if Command::new("script").arg("--version").output().is_err() {
        println!("SKIPPED: `script` (util-linux) not found — bold output on a terminal not checked");
        return;
    }
    let command = format!("{} search {} stipendiater -n 3", env!("CARGO_BIN_EXE_planparse"), corpus_db().display());
    let out = Command::new("script").args(["-qec", &command, "/dev/null"]).output().expect("script runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\x1b[1mstipendiater\x1b[0m"), "bold match on a terminal: {text}");
}
