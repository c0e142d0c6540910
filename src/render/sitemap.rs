//! sitemap.xml: one `urlset`, or past 50,000 URLs a sitemap index over
//! `sitemap-1.xml`, `sitemap-2.xml`, ….

use super::feed::xml_escape;
use super::OutputFile;

/// The most URLs one sitemap file may list.
pub(crate) const SITEMAP_MAX: usize = 50_000;

/// The sitemap files for `paths` (relative to the root) under `base_url` (ending `/`).
pub(crate) fn sitemaps(base_url: &str, mut paths: Vec<String>) -> Vec<OutputFile> {
    paths.sort();
    paths.dedup();
    let urlset = |chunk: &[String]| {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in chunk {
            s.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                xml_escape(&format!("{base_url}{p}"))
            ));
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    };
    if paths.len() <= SITEMAP_MAX {
        return vec![OutputFile {
            path: "sitemap.xml".into(),
            bytes: urlset(&paths),
        }];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in paths.chunks(SITEMAP_MAX).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&format!("{base_url}{name}"))
        ));
        files.push(OutputFile {
            path: name,
            bytes: urlset(chunk),
        });
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_past_the_limit() {
        let paths: Vec<String> = (0..SITEMAP_MAX + 1)
            .map(|i| format!("actions/x-{i}/"))
            .collect();
        let files = sitemaps("https://e.org/g/", paths);
        assert_eq!(files.len(), 3);
        let index = String::from_utf8(files[2].bytes.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("https://e.org/g/sitemap-2.xml"));
        let small = sitemaps("https://e.org/", vec!["".into(), "groups/".into()]);
        assert_eq!(small.len(), 1);
        let s = String::from_utf8(small[0].bytes.clone()).unwrap();
        assert!(s.contains("<loc>https://e.org/groups/</loc>"));
    }
}
