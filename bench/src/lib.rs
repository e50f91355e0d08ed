//! Shared by the `./x bench` binaries that generate data: a reproducible random source, the
//! seed content's vocabulary to draw text from, and the small helpers around them.

use std::collections::HashMap;
use std::path::Path;

/// What a bench binary reports when it cannot go on.
pub type Failure = Box<dyn std::error::Error>;

/// A whole-number setting from the environment, or `default` when it is not set.
pub fn setting(name: &str, default: u64) -> Result<u64, Failure> {
    match std::env::var(name) {
        Ok(text) => Ok(text
            .parse()
            .map_err(|_| format!("{name} must be a whole number"))?),
        Err(_) => Ok(default),
    }
}

/// A small, fast, reproducible generator (xorshift64*).
pub struct Random(pub u64);

impl Random {
    pub fn number(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.number() % n.max(1) as u64) as usize
    }

    /// A word, the frequent ones far more often (roughly Zipf).
    pub fn word<'a>(&mut self, words: &'a [String]) -> &'a str {
        let unit = (self.number() >> 11) as f64 / (1u64 << 53) as f64;
        let index = (words.len() as f64 * unit.powi(3)) as usize;
        &words[index.min(words.len() - 1)]
    }

    pub fn sentence(&mut self, words: &[String], length: usize) -> String {
        let mut text = String::new();
        for n in 0..length {
            if n > 0 {
                text.push(' ');
            }
            text.push_str(self.word(words));
        }
        text.push('.');
        text
    }

    pub fn paragraphs(&mut self, words: &[String], total: usize) -> String {
        let mut text = String::new();
        let mut written = 0;
        while written < total {
            let length = 8 + self.below(12);
            text.push_str(&self.sentence(words, length));
            written += length;
            text.push_str(if self.below(5) == 0 { "\n\n" } else { " " });
        }
        text
    }
}

/// The words of the seed content, most frequent first.
pub fn vocabulary(content: &Path) -> Result<Vec<String>, Failure> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut folders = vec![content.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                let text = std::fs::read_to_string(&path)?.to_lowercase();
                for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
                    if (3..=14).contains(&word.len()) {
                        *counts.entry(word.to_owned()).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if words.len() < 500 {
        return Err(format!(
            "only {} distinct words under {}",
            words.len(),
            content.display()
        )
        .into());
    }
    Ok(words.into_iter().map(|(word, _)| word).collect())
}

/// `text` as an SQL string literal (the same on SQLite and PostgreSQL).
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
