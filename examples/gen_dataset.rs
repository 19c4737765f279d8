//! Generates a synthetic dataset for `benches/search.sh`: MEASURES measures
//! written into DB through the dataset's own [`Writer`], and the same measures
//! as JSONL (one measure a line, with its document's fields) for the grep peer.
//!
//! ```text
//! cargo run --release --example gen_dataset -- DB JSONL MEASURES [CORPUS_DIR]
//! ```
//!
//! Text is drawn from the corpus: the converted corpus documents give the words
//! (a bigram chain over measure, action, indicator and section text, so phrases
//! read like the plans), the printed responsible parties and the organizations.
//! Deterministic: the same arguments and corpus conversion give the same dataset.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use planparse::dataset::sqlite::{Dataset, Table};
use planparse::model::{Action, Document, DocumentKind, Measure, Period, Section, Source, SourceFormat, SCHEMA_VERSION};
use planparse::pipeline::{self, Options};

/// Measures per synthetic document (the corpus plans have 11 to 63).
const PER_DOCUMENT: usize = 60;
/// Documents written per transaction: big enough to amortize the commit,
/// small enough to keep the WAL file bounded.
const DOCUMENTS_PER_COMMIT: usize = 100;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen_dataset: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: gen_dataset DB JSONL MEASURES [CORPUS_DIR]".into());
    }
    let (db, jsonl, total): (PathBuf, PathBuf, usize) = (args[0].clone().into(), args[1].clone().into(), args[2].parse()?);
    let corpus = args.get(3).map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"), PathBuf::from);
    let source = Corpus::read(&corpus)?;
    eprintln!(
        "gen_dataset: {} words ({} distinct), {} parties, {} organizations from {}",
        source.words.len(),
        source.distinct,
        source.parties.len(),
        source.organizations.len(),
        corpus.display()
    );

    let mut rng = Rng(0x5eed_2025);
    let mut dataset = Dataset::open(&db)?;
    let mut out = BufWriter::new(std::fs::File::create(&jsonl)?);
    let documents = total.div_ceil(PER_DOCUMENT);
    let (mut written, mut write_time, mut jsonl_time) = (0usize, 0.0f64, 0.0f64);
    let started = Instant::now();
    for batch_start in (0..documents).step_by(DOCUMENTS_PER_COMMIT) {
        let batch: Vec<Document> = (batch_start..(batch_start + DOCUMENTS_PER_COMMIT).min(documents))
            .map(|i| {
                let n = PER_DOCUMENT.min(total - i * PER_DOCUMENT);
                source.document(i, n, &mut rng)
            })
            .collect();
        let t = Instant::now();
        let mut writer = dataset.writer()?;
        for doc in &batch {
            writer.put(&format!("generated/{}", doc.source.file), &doc.source.sha256, doc)?;
        }
        writer.commit()?;
        write_time += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for doc in &batch {
            write_jsonl(&mut out, doc)?;
        }
        jsonl_time += t.elapsed().as_secs_f64();
        written += batch.iter().map(|d| d.measures.len()).sum::<usize>();
        if (batch_start / DOCUMENTS_PER_COMMIT) % 20 == 0 {
            eprintln!("gen_dataset: {written} measures, {:.0} measures/s", written as f64 / write_time);
        }
    }
    out.flush()?;
    // What `planparse index --optimize` does after a bulk load; then fold the WAL
    // into the file so that its size is the dataset's size.
    let t = Instant::now();
    let mut writer = dataset.writer()?;
    writer.optimize()?;
    writer.commit()?;
    let optimize = t.elapsed().as_secs_f64();
    let t = Instant::now();
    dataset.connection().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let checkpoint = t.elapsed().as_secs_f64() + optimize;
    println!("optimize_seconds={optimize:.2}");
    let measures = dataset.count(Table::Measures)?;
    println!("measures={measures}");
    println!("documents={}", dataset.count(Table::Documents)?);
    println!("index_seconds={:.2}", write_time + checkpoint);
    println!("index_rate={:.0}", measures as f64 / (write_time + checkpoint));
    println!("jsonl_seconds={jsonl_time:.2}");
    println!("total_seconds={:.2}", started.elapsed().as_secs_f64());
    Ok(())
}

/// The measure as one self-contained JSON line: what a JSONL export of the same
/// dataset holds.
fn write_jsonl(out: &mut impl Write, doc: &Document) -> std::io::Result<()> {
    for m in &doc.measures {
        let line = serde_json::json!({
            "doc_id": doc.source.sha256, "doc_title": doc.title, "organization": doc.organization,
            "period": doc.period, "kind": doc.kind, "source_file": doc.source.file,
            "id": m.id, "section_id": m.section, "label": m.label, "text": m.text,
            "actions": m.actions, "indicators": m.indicators, "responsible": m.responsible, "pages": m.pages,
        });
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A small deterministic PRNG (splitmix64); no dependency needed for a benchmark.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What the corpus lends the generator.
struct Corpus {
    /// Every word of the corpus text in reading order (the chain's states).
    words: Vec<String>,
    distinct: usize,
    /// For each word, the positions of the words that follow it somewhere.
    next: HashMap<String, Vec<usize>>,
    /// Responsibility lists as printed in the corpus.
    parties: Vec<Vec<String>>,
    organizations: Vec<String>,
}

impl Corpus {
    fn read(dir: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let mut texts = Vec::new();
        let mut parties = Vec::new();
        let mut organizations = vec![
            "Helse Sør-Øst RHF".to_string(),
            "Helse Vest RHF".to_string(),
            "Helse Nord RHF".to_string(),
            "Oslo universitetssykehus HF".to_string(),
            "St. Olavs hospital HF".to_string(),
            "Haukeland universitetssjukehus".to_string(),
            "Universitetssykehuset Nord-Norge HF".to_string(),
            "Akershus universitetssykehus HF".to_string(),
        ];
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf" || e == "txt")) {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let Ok(doc) = pipeline::convert_bytes(&name, &std::fs::read(path)?, &Options::default()) else { continue };
            organizations.extend(doc.organization.clone());
            for m in &doc.measures {
                texts.push(m.text.clone());
                texts.extend(m.actions.iter().flat_map(|a| std::iter::once(a.text.clone()).chain(a.items.iter().cloned())));
                texts.extend(m.indicators.iter().cloned());
                if !m.responsible.is_empty() && m.responsible.iter().all(|r| r.chars().count() < 80) {
                    parties.push(m.responsible.clone());
                }
            }
            let mut stack: Vec<&Section> = doc.sections.iter().collect();
            while let Some(s) = stack.pop() {
                texts.push(s.title.clone());
                texts.push(s.text.clone());
                texts.extend(s.objectives.iter().map(|o| o.text.clone()));
                stack.extend(&s.sections);
            }
            if let Some(meeting) = &doc.meeting {
                texts.extend(meeting.items.iter().map(|i| i.text.clone()));
            }
        }
        organizations.sort();
        organizations.dedup();
        let words: Vec<String> = texts.iter().flat_map(|t| t.split_whitespace().map(str::to_string)).collect();
        if words.len() < 100 || parties.is_empty() {
            return Err(format!("{}: too little corpus text to generate from", dir.display()).into());
        }
        let mut next: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, pair) in words.windows(2).enumerate() {
            next.entry(pair[0].clone()).or_default().push(i + 1);
        }
        let distinct = next.len();
        Ok(Corpus { words, distinct, next, parties, organizations })
    }

    /// `n` words following the corpus's bigrams from a random start; a word
    /// without a known successor restarts the chain.
    fn sentence(&self, n: usize, rng: &mut Rng) -> String {
        let mut at = rng.below(self.words.len());
        let mut out: Vec<&str> = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(&self.words[at]);
            at = match self.next.get(&self.words[at]) {
                Some(successors) => *rng.pick(successors),
                None => rng.below(self.words.len()),
            };
        }
        let mut s = out.join(" ");
        if let Some(first) = s.chars().next() {
            let upper: String = first.to_uppercase().collect();
            s.replace_range(..first.len_utf8(), &upper);
        }
        s
    }

    fn document(&self, index: usize, measures: usize, rng: &mut Rng) -> Document {
        let organization = rng.pick(&self.organizations).clone();
        let from = 2012 + rng.below(13) as i32;
        let to = from + 2 + rng.below(3) as i32;
        let file = format!("plan-{index:07}.pdf");
        let sections_count = 3 + rng.below(5);
        let sections: Vec<Section> = (1..=sections_count)
            .map(|n| Section {
                id: n.to_string(),
                number: Some(n.to_string()),
                title: self.sentence(rng.between(3, 9), rng),
                level: 1,
                text: self.sentence(rng.between(0, 30), rng),
                objectives: Vec::new(),
                sections: Vec::new(),
            })
            .collect();
        let measures: Vec<Measure> = (0..measures)
            .map(|i| {
                let section = 1 + i * sections_count / measures.max(1);
                let label = format!("{section}{}", char::from(b'a' + (i % 26) as u8));
                let actions = (0..rng.between(0, 3))
                    .map(|a| Action {
                        label: Some(["i", "ii", "iii", "iv"][a].to_string()),
                        text: self.sentence(rng.between(8, 25), rng),
                        items: (0..rng.between(0, 2)).map(|_| self.sentence(rng.between(4, 12), rng)).collect(),
                    })
                    .collect();
                let page = 1 + (i / 5) as u32;
                Measure {
                    id: format!("{section}/{label}"),
                    section: section.to_string(),
                    label: Some(label),
                    strategy_refs: Vec::new(),
                    text: self.sentence(rng.between(6, 30), rng),
                    actions,
                    indicators: (0..rng.between(0, 2)).map(|_| self.sentence(rng.between(4, 14), rng)).collect(),
                    responsible: rng.pick(&self.parties).clone(),
                    deadline: None,
                    status: None,
                    pages: vec![page],
                    extra: Vec::new(),
                }
            })
            .collect();
        let sha = pipeline::sha256_hex(format!("gen_dataset {index}").as_bytes());
        Document {
            schema_version: SCHEMA_VERSION.to_string(),
            source: Source { file, sha256: sha, format: SourceFormat::Pdf, pages: Some(1 + (measures.len() / 5) as u32) },
            kind: DocumentKind::ActionPlan,
            title: Some(format!("Handlingsplan for forskning {from}-{to} – {organization}")),
            organization: Some(organization),
            period: Some(Period { from, to }),
            sections,
            measures,
            meeting: None,
            tables: Vec::new(),
            warnings: Vec::new(),
        }
    }
}
