//! A cursor over the text forms of standard-library values: a few fixed-width digit runs and
//! punctuation, too little to justify a parser library, and errors that say what was expected.

pub(super) struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    pub(super) fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    pub(super) fn position(&self) -> usize {
        self.at
    }

    pub(super) fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    pub(super) fn skip_rest(&mut self) {
        self.at = self.text.len();
    }

    pub(super) fn eat(&mut self, wanted: char) -> bool {
        let found = self.peek() == Some(wanted);
        if found {
            self.next();
        }
        found
    }

    pub(super) fn expect(&mut self, any_of: &[char]) -> Result<char, String> {
        match self.peek() {
            Some(c) if any_of.contains(&c) => {
                self.next();
                Ok(c)
            }
            found => Err(format!(
                "expected {} at character {} of {:?}, found {}",
                any_of
                    .iter()
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                self.at + 1,
                self.text,
                found.map_or("the end".to_owned(), |c| format!("'{c}'"))
            )),
        }
    }

    /// Between `min` and `max` ASCII digits, as a number.
    pub(super) fn digits(&mut self, min: usize, max: usize) -> Result<u64, String> {
        let run = self.text[self.at..]
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if run < min {
            return Err(format!(
                "expected {min} digit{} at character {} of {:?}",
                if min == 1 { "" } else { "s" },
                self.at + 1,
                self.text
            ));
        }
        let digits = &self.text[self.at..self.at + run];
        self.at += run;
        digits
            .parse()
            .map_err(|_| format!("{digits:?} is too large in {:?}", self.text))
    }

    pub(super) fn end(&self) -> Result<(), String> {
        match self.rest() {
            "" => Ok(()),
            rest => Err(format!("unexpected {rest:?} at the end of {:?}", self.text)),
        }
    }
}
