//! Turning what a visitor typed into a tantivy query. The syntax is the one people expect of a
//! search box and nothing else: words (all must match, stemmed, longer ones typo-tolerant),
//! `"quoted phrases"`, and `-word` or `NOT word` to exclude (`AND` and `OR` in capitals are
//! ignored: every word must match). Every other character is just text, so no input can be
//! malformed: an unbalanced quote runs to the end, stray operators are ignored.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, Term};

use super::index::Fields;
use crate::Result;

/// Most words and phrases of a query that are used; the rest are ignored.
pub const MAX_CLAUSES: usize = 12;

/// Words at least this long match with one typo (an edit or a swap of two letters).
const ONE_TYPO_FROM: usize = 5;
/// Words at least this long match with two typos.
const TWO_TYPOS_FROM: usize = 9;

const TITLE_BOOST: f32 = 3.0;
const TAGS_BOOST: f32 = 2.0;
/// A typo-tolerant match counts for less than an exact one.
const TYPO_BOOST: f32 = 0.2;

/// One part of what was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Clause {
    Word(String),
    Phrase(String),
    Excluded(String),
}

/// Splits `text` into words, `"phrases"` and `-excluded` words, at most [`MAX_CLAUSES`].
fn clauses(text: &str) -> Vec<Clause> {
    let mut clauses = Vec::new();
    let mut rest = text;
    let mut negate_next = false;
    while clauses.len() < MAX_CLAUSES {
        rest = rest.trim_start();
        if let Some(quoted) = rest.strip_prefix('"') {
            let (phrase, after) = quoted.split_once('"').unwrap_or((quoted, ""));
            clauses.push(if negate_next {
                Clause::Excluded(phrase.to_owned())
            } else {
                Clause::Phrase(phrase.to_owned())
            });
            negate_next = false;
            rest = after;
            continue;
        }
        let end = rest
            .find(|ch: char| ch.is_whitespace() || ch == '"')
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        let word = &rest[..end];
        rest = &rest[end..];
        match word {
            "AND" | "OR" | "&&" | "||" => continue,
            "NOT" => {
                negate_next = true;
                continue;
            }
            _ => {}
        }
        match word.strip_prefix('-') {
            Some(excluded) if !excluded.is_empty() => {
                clauses.push(Clause::Excluded(excluded.to_owned()))
            }
            _ if negate_next => clauses.push(Clause::Excluded(word.to_owned())),
            _ => clauses.push(Clause::Word(word.to_owned())),
        }
        negate_next = false;
    }
    clauses
}

/// The tokens `analyzer` makes of `text`.
fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    tokens
}

struct Builder<'a> {
    fields: &'a Fields,
    stemmer: TextAnalyzer,
    words: TextAnalyzer,
}

impl Builder<'_> {
    fn term(&self, field: Field, token: &str) -> Term {
        Term::from_field_text(field, token)
    }

    fn term_query(&self, field: Field, token: &str, boost: f32) -> Box<dyn Query> {
        let query = TermQuery::new(self.term(field, token), IndexRecordOption::WithFreqs);
        Box::new(BoostQuery::new(Box::new(query), boost))
    }

    /// One stemmed token in the title, tags or text, and (for a long `typed` word) near misses
    /// of it.
    fn token(&mut self, stemmed: &str, typed: Option<&str>) -> Box<dyn Query> {
        let fields = self.fields;
        let mut options = vec![
            self.term_query(fields.title, stemmed, TITLE_BOOST),
            self.term_query(fields.tags, stemmed, TAGS_BOOST),
            self.term_query(fields.body, stemmed, 1.0),
        ];
        if let Some(typed) = typed {
            let length = typed.chars().count();
            if length >= ONE_TYPO_FROM {
                let distance = if length >= TWO_TYPOS_FROM { 2 } else { 1 };
                let fuzzy = FuzzyTermQuery::new(self.term(fields.body, stemmed), distance, true);
                options.push(Box::new(BoostQuery::new(Box::new(fuzzy), TYPO_BOOST)));
                for word in tokens(&mut self.words, typed) {
                    let fuzzy =
                        FuzzyTermQuery::new(self.term(fields.title_words, &word), distance, true);
                    options.push(Box::new(BoostQuery::new(
                        Box::new(fuzzy),
                        TYPO_BOOST * TITLE_BOOST,
                    )));
                }
            }
        }
        Box::new(DisjunctionMaxQuery::with_tie_breaker(options, 0.1))
    }

    /// Consecutive stemmed tokens in the title or the text.
    fn phrase(&mut self, tokens: &[String]) -> Box<dyn Query> {
        let fields = self.fields;
        let in_field = |field: Field| {
            PhraseQuery::new(
                tokens
                    .iter()
                    .map(|token| Term::from_field_text(field, token))
                    .collect(),
            )
        };
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            vec![
                Box::new(BoostQuery::new(
                    Box::new(in_field(fields.title)),
                    TITLE_BOOST,
                )),
                Box::new(in_field(fields.body)),
            ],
            0.1,
        ))
    }
}

/// What was typed, as queries: the exact words (stemmed) first, and, when some word is long
/// enough for typos, the same with near misses of those words as well.
pub(crate) struct UserQuery {
    /// Stemmed words and phrases only.
    pub exact: Box<dyn Query>,
    /// The exact query plus near misses of its longer words; `None` when no word is long
    /// enough to be forgiven a typo.
    pub forgiving: Option<Box<dyn Query>>,
}

/// The queries for `text`, or `None` when it has nothing to search for (blank, punctuation, or
/// only exclusions).
pub(crate) fn user_query(index: &Index, fields: &Fields, text: &str) -> Result<Option<UserQuery>> {
    let mut builder = Builder {
        fields,
        stemmer: analyzer(index, fields.body)?,
        words: analyzer(index, fields.title_words)?,
    };
    let clauses = clauses(text);
    let Some(exact) = builder.query(&clauses, false) else {
        return Ok(None);
    };
    let forgivable = clauses.iter().any(
        |clause| matches!(clause, Clause::Word(word) if word.chars().count() >= ONE_TYPO_FROM),
    );
    let forgiving = if forgivable {
        builder.query(&clauses, true)
    } else {
        None
    };
    Ok(Some(UserQuery { exact, forgiving }))
}

impl Builder<'_> {
    /// Every clause as a query (with near misses of long words when `typos`), or `None` when
    /// nothing is left to match.
    fn query(&mut self, clauses: &[Clause], typos: bool) -> Option<Box<dyn Query>> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut positive = false;
        for clause in clauses {
            let (occur, typed, text) = match clause {
                Clause::Word(word) => (Occur::Must, typos.then_some(word.as_str()), word.as_str()),
                Clause::Phrase(phrase) => (Occur::Must, None, phrase.as_str()),
                Clause::Excluded(word) => (Occur::MustNot, None, word.as_str()),
            };
            let stemmed = tokens(&mut self.stemmer, text);
            let query = match stemmed.as_slice() {
                [] => continue,
                [single] => self.token(single, typed),
                several => self.phrase(several),
            };
            positive |= occur == Occur::Must;
            parts.push((occur, query));
        }
        positive.then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
    }
}

/// Titles starting with what has been typed so far: every finished word matches a title word,
/// the last (unfinished) one a title word's beginning.
pub(crate) fn suggestion_query(
    index: &Index,
    fields: &Fields,
    text: &str,
) -> Result<Option<Box<dyn Query>>> {
    let mut words = tokens(&mut analyzer(index, fields.title_words)?, text);
    let unfinished = if text.ends_with(char::is_whitespace) {
        None
    } else {
        words.pop()
    };
    words.truncate(MAX_CLAUSES);
    let mut parts: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|word| {
            let term = Term::from_field_text(fields.title_words, word);
            let query: Box<dyn Query> =
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            (Occur::Must, query)
        })
        .collect();
    if let Some(prefix) = unfinished {
        let term = Term::from_field_text(fields.title_words, &prefix);
        parts.push((
            Occur::Must,
            Box::new(FuzzyTermQuery::new_prefix(term, 0, false)),
        ));
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(BooleanQuery::new(parts))))
}

/// Keeps only items with one of `tokens` as audience, without changing scores.
pub(crate) fn audience_filter(fields: &Fields, tokens: &[String]) -> Box<dyn Query> {
    let terms = tokens
        .iter()
        .map(|token| Term::from_field_text(fields.audience, token));
    Box::new(ConstScoreQuery::new(
        Box::new(TermSetQuery::new(terms)),
        0.0,
    ))
}

/// Keeps only items of `kind`, without changing scores.
pub(crate) fn kind_filter(fields: &Fields, kind: &str) -> Box<dyn Query> {
    let term = Term::from_field_text(fields.kind, kind);
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        0.0,
    ))
}

fn analyzer(index: &Index, field: Field) -> Result<TextAnalyzer> {
    index
        .tokenizer_for_field(field)
        .map_err(|err| crate::Error::Internal(format!("search tokenizer: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions_are_told_apart() {
        assert_eq!(
            clauses(r#"night "health assessment" -shift work"#),
            [
                Clause::Word("night".into()),
                Clause::Phrase("health assessment".into()),
                Clause::Excluded("shift".into()),
                Clause::Word("work".into()),
            ]
        );
    }

    #[test]
    fn capital_operators_mean_what_people_expect() {
        assert_eq!(
            clauses("night AND work OR shifts NOT rota"),
            [
                Clause::Word("night".into()),
                Clause::Word("work".into()),
                Clause::Word("shifts".into()),
                Clause::Excluded("rota".into()),
            ]
        );
    }

    #[test]
    fn an_unbalanced_quote_runs_to_the_end() {
        assert_eq!(
            clauses(r#"fitness "for duty"#),
            [
                Clause::Word("fitness".into()),
                Clause::Phrase("for duty".into()),
            ]
        );
    }

    #[test]
    fn stray_operators_are_text_and_long_input_is_capped() {
        assert_eq!(
            clauses("- -- \"\""),
            [
                Clause::Word("-".into()),
                Clause::Excluded("-".into()),
                Clause::Phrase(String::new())
            ]
        );
        assert_eq!(clauses(&"word ".repeat(1_000)).len(), MAX_CLAUSES);
    }
}
