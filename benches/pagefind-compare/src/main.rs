//! Times Pagefind's API and quorum's own index on one site's search records.
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let loaded = quorum::build::load(std::path::Path::new(&root), today, true).expect("a site");
    let site = &loaded.site;

    let t = Instant::now();
    let records = quorum::search::records(site);
    let rec_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let ours = quorum::search::index::build(site, &records);
    let ours_ms = t.elapsed().as_millis();
    let ours_bytes: usize = ours.iter().map(|f| f.bytes.len()).sum();
    println!(
        "records: {} in {rec_ms} ms\nquorum index: {ours_ms} ms, {} files, {} KB",
        records.len(),
        ours.len(),
        ours_bytes / 1024
    );

    let t = Instant::now();
    let config = PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language("en".to_string())
        .build();
    let mut index = PagefindIndex::new(Some(config)).expect("pagefind options");
    for r in &records {
        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), r.title.clone());
        if let Some(d) = r.date {
            meta.insert("date".to_string(), d.to_string());
        }
        let mut filters = BTreeMap::new();
        filters.insert("kind".to_string(), vec![r.kind.as_str().to_string()]);
        if let Some(g) = r.group {
            filters.insert("group".to_string(), vec![site.groups[g].name.clone()]);
        }
        if let Some(y) = r.year() {
            filters.insert("year".to_string(), vec![y.to_string()]);
        }
        filters.insert(
            "status".to_string(),
            r.status
                .iter()
                .map(|&s| quorum::search::STATUSES[s as usize].to_string())
                .collect(),
        );
        filters.insert(
            "person".to_string(),
            r.people.iter().map(|&p| site.people[p].name.clone()).collect(),
        );
        let mut sort = BTreeMap::new();
        if let Some(d) = r.date {
            sort.insert("date".to_string(), d.to_string());
        }
        let content = format!("{}. {}. {}", r.title, r.strong, r.text);
        index
            .add_custom_record(
                format!("/{}", r.url),
                content,
                "en".into(),
                Some(meta),
                Some(filters),
                Some(sort),
            )
            .await
            .expect("a record");
    }
    let add_ms = t.elapsed().as_millis();
    let files = index.get_files().await.expect("pagefind files");
    let pf_ms = t.elapsed().as_millis();
    let pf_bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    println!(
        "pagefind: add_custom_record {add_ms} ms, total with get_files {pf_ms} ms, {} files, {} KB",
        files.len(),
        pf_bytes / 1024
    );
    let mut big: Vec<(usize, String)> = files
        .iter()
        .filter(|f| !f.filename.to_string_lossy().contains("fragment"))
        .map(|f| (f.contents.len(), f.filename.to_string_lossy().into_owned()))
        .collect();
    big.sort();
    for (n, name) in big.iter().rev().take(8) {
        println!("  {name}: {} KB", n / 1024);
    }
}
