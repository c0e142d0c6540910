use std::time::Instant;
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let mut texts = vec![];
    for e in walkdir::WalkDir::new(format!("{root}/content")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "md") {
            texts.push((
                e.path().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            ));
        }
    }
    let no = |_: &str| false;
    for _ in 0..1 {
        let t = Instant::now();
        for (p, t) in &texts {
            std::hint::black_box(quorum::load::read_note_text(t, p, "g", true, &no));
        }
        println!("whole {:?}", t.elapsed());
    }
}
