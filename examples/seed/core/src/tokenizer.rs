//! A whitespace tokenizer with a growing vocabulary: state that accumulates across calls, and
//! offsets counted in characters (code points) as Python counts them, not in UTF-8 bytes.

use std::collections::HashMap;

use serde::Serialize;

use crate::SeedError;

/// A token and its character span `[start, end)` in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The token text.
    pub text: String,
    /// Offset of the first character, in code points.
    pub start: usize,
    /// Offset just past the last character, in code points.
    pub end: usize,
}

/// Splits text on whitespace and numbers the distinct tokens it has seen.
#[derive(Debug, Clone, Default)]
pub struct Tokenizer {
    lowercase: bool,
    ids: HashMap<String, u32>,
    vocabulary: Vec<String>,
}

impl Tokenizer {
    /// A tokenizer with an empty vocabulary; `lowercase` folds case before numbering.
    pub fn new(lowercase: bool) -> Self {
        Self {
            lowercase,
            ..Self::default()
        }
    }

    /// The tokens of `text` with their character offsets.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut start = None;
        let mut count = 0;
        for (index, character) in text.chars().enumerate() {
            match (character.is_whitespace(), start) {
                (false, None) => start = Some(index),
                (true, Some(begin)) => {
                    tokens.push(self.token(text, begin, index));
                    start = None;
                }
                _ => {}
            }
            count = index + 1;
        }
        if let Some(begin) = start {
            tokens.push(self.token(text, begin, count));
        }
        tokens
    }

    /// The ids of the tokens of `text`, adding unseen tokens to the vocabulary.
    pub fn encode(&mut self, text: &str) -> Vec<u32> {
        self.tokenize(text)
            .into_iter()
            .map(|token| match self.ids.get(&token.text) {
                Some(id) => *id,
                None => {
                    let id = u32::try_from(self.vocabulary.len()).expect("vocabulary below 2**32");
                    self.ids.insert(token.text.clone(), id);
                    self.vocabulary.push(token.text);
                    id
                }
            })
            .collect()
    }

    /// The tokens of `ids` joined by single spaces.
    pub fn decode(&self, ids: &[u32]) -> Result<String, SeedError> {
        let words = ids
            .iter()
            .map(|id| {
                self.vocabulary
                    .get(*id as usize)
                    .map(String::as_str)
                    .ok_or(SeedError::UnknownToken(*id))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(words.join(" "))
    }

    /// How many distinct tokens have been numbered.
    pub fn vocab_size(&self) -> usize {
        self.vocabulary.len()
    }

    /// Whether case is folded.
    pub fn lowercase(&self) -> bool {
        self.lowercase
    }

    fn token(&self, text: &str, start: usize, end: usize) -> Token {
        let slice: String = text.chars().skip(start).take(end - start).collect();
        let text = if self.lowercase {
            slice.to_lowercase()
        } else {
            slice
        };
        Token { text, start, end }
    }
}
