//! The few Unicode properties the BERT normalizer needs, in compact tables.
//!
//! The tokenizer used `unicode-normalization` (NFD) and `unicode-general-category`; their tables
//! cost the page about 100 KB of wasm for four questions: is a character a control (Cc, Cf, Co,
//! Cs, Cn), a space separator (Zs), punctuation (P*) or a nonspacing mark (Mn), and what is its
//! canonical decomposition. [`UnicodeTables`] answers exactly those. The tables are generated
//! from the same two crates (Unicode 16) by the tests below, which also check every code point
//! and many mixed strings against them: behaviour is unchanged, only smaller.
//!
//! They exist twice, from one generator: compiled in (`unicode_tables.rs`, what
//! [`UnicodeTables::builtin`] uses natively and in tests) and as the file
//! `static/embeddings/unicode.bin`, which the page fetches with the MiniLM table so that none of
//! it is in the page's own wasm ([`UnicodeTables::from_bytes`]).

use crate::unicode_tables::{CLASS_STARTS, DECOMPOSED, DECOMPOSITIONS, NON_MN_COMBINING_CLASSES};
use crate::TableError;
use std::borrow::Cow;

/// What the normalizer needs to know about one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Anything else: letters, digits, symbols, starters.
    Other = 0,
    /// General category Cc, Cf, Co, Cs or Cn (unassigned).
    Control = 1,
    /// General category Zs.
    Space = 2,
    /// General category Pc, Pd, Ps, Pe, Pi, Pf or Po.
    Punctuation = 3,
    /// Mn with canonical combining class 0: dropped, and ends a run of combining marks.
    MarkStarter = 4,
    /// Mn with a nonzero combining class: dropped.
    MarkNonStarter = 5,
    /// Not Mn but with a nonzero combining class (a few spacing marks): kept, and reordered
    /// by combining class like any mark in NFD.
    NonStarter = 6,
}

impl Class {
    fn from_bits(bits: u32) -> Class {
        match bits {
            1 => Class::Control,
            2 => Class::Space,
            3 => Class::Punctuation,
            4 => Class::MarkStarter,
            5 => Class::MarkNonStarter,
            6 => Class::NonStarter,
            _ => Class::Other,
        }
    }
}

/// Bits of a class-run entry that hold the class; the run's first code point is above them.
pub(crate) const CLASS_BITS: u32 = 3;

/// First bytes of `unicode.bin`.
const MAGIC: &[u8; 8] = b"PGUNI001";

/// The tables: class runs, canonical decompositions and the combining classes of non-Mn marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnicodeTables {
    /// `(first code point << CLASS_BITS) | class` for each run of one class, ascending.
    class_starts: Cow<'static, [u32]>,
    /// `(character, start in decomposed, length)` for each character NFD changes, by character.
    decompositions: Cow<'static, [(char, u16, u8)]>,
    /// The decompositions, without nonspacing marks that have a combining class.
    decomposed: Cow<'static, [char]>,
    /// `(character, combining class)` for each [`Class::NonStarter`], by character.
    non_mn_classes: Cow<'static, [(char, u8)]>,
}

impl UnicodeTables {
    /// The tables compiled into the crate.
    pub fn builtin() -> UnicodeTables {
        UnicodeTables {
            class_starts: Cow::Borrowed(&CLASS_STARTS),
            decompositions: Cow::Borrowed(&DECOMPOSITIONS),
            decomposed: Cow::Borrowed(&DECOMPOSED),
            non_mn_classes: Cow::Borrowed(&NON_MN_COMBINING_CLASSES),
        }
    }

    /// Read the tables from `unicode.bin` (little-endian): `PGUNI001`, the four lengths (u32),
    /// the class runs (u32 each), the decompositions (u32 character, u16 start, u8 length), the
    /// decomposed characters (u32 each), the non-Mn combining classes (u32 character, u8 class).
    /// Anything malformed (bad characters, unsorted keys, ranges out of bounds) is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<UnicodeTables, TableError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(TableError::NotATable);
        }
        let mut lengths = [0usize; 4];
        for length in &mut lengths {
            *length = reader.u32()? as usize;
        }
        let [n_classes, n_decompositions, n_decomposed, n_non_mn] = lengths;
        let class_starts = (0..n_classes).map(|_| reader.u32()).collect::<Result<Vec<_>, _>>()?;
        let decompositions = (0..n_decompositions)
            .map(|_| Ok((reader.char()?, reader.u16()?, reader.u8()?)))
            .collect::<Result<Vec<_>, TableError>>()?;
        let decomposed = (0..n_decomposed).map(|_| reader.char()).collect::<Result<Vec<_>, _>>()?;
        let non_mn_classes = (0..n_non_mn)
            .map(|_| Ok((reader.char()?, reader.u8()?)))
            .collect::<Result<Vec<_>, TableError>>()?;
        let ascending = class_starts.windows(2).all(|w| w[0] < w[1])
            && decompositions.windows(2).all(|w| w[0].0 < w[1].0)
            && non_mn_classes.windows(2).all(|w| w[0].0 < w[1].0);
        let in_bounds = decompositions
            .iter()
            .all(|&(_, start, len)| usize::from(start) + usize::from(len) <= decomposed.len());
        if !ascending || !in_bounds || reader.at != bytes.len() {
            return Err(TableError::NotATable);
        }
        Ok(UnicodeTables {
            class_starts: Cow::Owned(class_starts),
            decompositions: Cow::Owned(decompositions),
            decomposed: Cow::Owned(decomposed),
            non_mn_classes: Cow::Owned(non_mn_classes),
        })
    }

    /// The bytes [`from_bytes`](Self::from_bytes) reads.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let lengths = [
            self.class_starts.len(),
            self.decompositions.len(),
            self.decomposed.len(),
            self.non_mn_classes.len(),
        ];
        for length in lengths {
            out.extend((length as u32).to_le_bytes());
        }
        for start in self.class_starts.iter() {
            out.extend(start.to_le_bytes());
        }
        for &(c, start, len) in self.decompositions.iter() {
            out.extend((c as u32).to_le_bytes());
            out.extend(start.to_le_bytes());
            out.push(len);
        }
        for &c in self.decomposed.iter() {
            out.extend((c as u32).to_le_bytes());
        }
        for &(c, class) in self.non_mn_classes.iter() {
            out.extend((c as u32).to_le_bytes());
            out.push(class);
        }
        out
    }

    /// The class of `c`: the last run that starts at or before it.
    pub(crate) fn class_of(&self, c: char) -> Class {
        let key = ((c as u32) << CLASS_BITS) | ((1 << CLASS_BITS) - 1);
        let index = self.class_starts.partition_point(|&entry| entry <= key);
        match index.checked_sub(1).and_then(|i| self.class_starts.get(i)) {
            Some(&entry) => Class::from_bits(entry & ((1 << CLASS_BITS) - 1)),
            None => Class::Other,
        }
    }

    /// Canonical combining class of a [`Class::NonStarter`] character (0 for any other).
    fn combining_class(&self, c: char) -> u8 {
        match self.non_mn_classes.binary_search_by_key(&c, |&(k, _)| k) {
            Ok(i) => self.non_mn_classes.get(i).map_or(0, |&(_, class)| class),
            Err(_) => 0,
        }
    }

    /// Calls `emit` with the canonical decomposition of `c` (recursively decomposed), leaving
    /// out nonspacing marks with a nonzero combining class, which the normalizer drops anyway
    /// and which cannot end a run of marks.
    pub(crate) fn decompose(&self, c: char, mut emit: impl FnMut(char)) {
        let code = c as u32;
        if (HANGUL_BASE..HANGUL_BASE + HANGUL_COUNT).contains(&code) {
            // Hangul syllables decompose by arithmetic (Unicode 3.12), into jamo.
            let s = code - HANGUL_BASE;
            let t = s % JAMO_T_COUNT;
            let jamo = [
                Some(JAMO_L + s / (JAMO_V_COUNT * JAMO_T_COUNT)),
                Some(JAMO_V + (s % (JAMO_V_COUNT * JAMO_T_COUNT)) / JAMO_T_COUNT),
                (t != 0).then_some(JAMO_T + t),
            ];
            jamo.into_iter().flatten().filter_map(char::from_u32).for_each(emit);
            return;
        }
        let found = self.decompositions.binary_search_by_key(&c, |&(k, _, _)| k).ok();
        match found.and_then(|i| self.decompositions.get(i)) {
            Some(&(_, start, len)) => {
                let start = usize::from(start);
                let expansion = self.decomposed.get(start..start + usize::from(len)).unwrap_or_default();
                expansion.iter().copied().for_each(emit);
            }
            None => emit(c),
        }
    }

    /// NFD of `text` with nonspacing marks (Mn) removed, each kept character passed to `emit`:
    /// what `text.nfd().filter(|c| category(c) != Mn)` gives.
    pub(crate) fn nfd_without_marks(&self, text: &str, mut emit: impl FnMut(char)) {
        // Characters with a nonzero combining class waiting for the end of their run, to be put
        // in canonical order (a stable sort by combining class, as NFD does).
        let mut run: Vec<(u8, char)> = Vec::new();
        for c in text.chars() {
            self.decompose(c, |d| match self.class_of(d) {
                Class::MarkNonStarter => {}
                Class::MarkStarter => flush(&mut run, &mut emit),
                Class::NonStarter => run.push((self.combining_class(d), d)),
                _ => {
                    flush(&mut run, &mut emit);
                    emit(d);
                }
            });
        }
        flush(&mut run, &mut emit);
    }
}

/// Emits a run of combining characters in canonical order (stable by combining class).
fn flush(run: &mut Vec<(u8, char)>, emit: &mut impl FnMut(char)) {
    run.sort_by_key(|&(class, _)| class);
    run.drain(..).for_each(|(_, c)| emit(c));
}

/// A cursor over `unicode.bin`; running out of bytes is an error, never a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TableError> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let slice = end.and_then(|end| self.bytes.get(self.at..end));
        match (slice, end) {
            (Some(slice), Some(end)) => {
                self.at = end;
                Ok(slice)
            }
            _ => Err(TableError::Truncated { expected: self.at.saturating_add(n), actual: self.bytes.len() }),
        }
    }

    fn u8(&mut self) -> Result<u8, TableError> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    fn u16(&mut self) -> Result<u16, TableError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, TableError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn char(&mut self) -> Result<char, TableError> {
        char::from_u32(self.u32()?).ok_or(TableError::NotATable)
    }
}

const HANGUL_BASE: u32 = 0xAC00;
const HANGUL_COUNT: u32 = 11_172;
const JAMO_L: u32 = 0x1100;
const JAMO_V: u32 = 0x1161;
const JAMO_T: u32 = 0x11A7;
const JAMO_V_COUNT: u32 = 21;
const JAMO_T_COUNT: u32 = 28;

#[cfg(test)]
mod tests {
    //! The tables against the crates they replace (dev-dependencies only), and their generator:
    //! `UPDATE_UNICODE_TABLES=1 cargo test -p playground-embed unicode` rewrites
    //! `src/unicode_tables.rs`, then (on the next run, once that is compiled in)
    //! `static/embeddings/unicode.bin`.
    use super::*;
    use std::fmt::Write;
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
    use unicode_normalization::UnicodeNormalization;

    fn reference_class(c: char) -> Class {
        let ccc = canonical_combining_class(c);
        match get_general_category(c) {
            G::NonspacingMark if ccc == 0 => Class::MarkStarter,
            G::NonspacingMark => Class::MarkNonStarter,
            _ if ccc != 0 => Class::NonStarter,
            G::Control | G::Format | G::PrivateUse | G::Surrogate | G::Unassigned => Class::Control,
            G::SpaceSeparator => Class::Space,
            G::ConnectorPunctuation
            | G::DashPunctuation
            | G::OpenPunctuation
            | G::ClosePunctuation
            | G::InitialPunctuation
            | G::FinalPunctuation
            | G::OtherPunctuation => Class::Punctuation,
            _ => Class::Other,
        }
    }

    fn reference_decomposition(c: char) -> Vec<char> {
        let mut out = Vec::new();
        decompose_canonical(c, |d| out.push(d));
        out.retain(|&d| reference_class(d) != Class::MarkNonStarter);
        out
    }

    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFFu32).filter_map(char::from_u32)
    }

    /// The text of `src/unicode_tables.rs` for the crates' current Unicode data.
    fn generate() -> String {
        let mut out = String::from(
            "//! Generated by `UPDATE_UNICODE_TABLES=1 cargo test -p playground-embed unicode` from\n\
             //! unicode-general-category and unicode-normalization (see `unicode.rs`). Do not edit.\n\n",
        );
        let mut starts = Vec::new();
        let mut previous = None;
        for c in all_chars() {
            let class = reference_class(c);
            if previous != Some(class) {
                starts.push(((c as u32) << CLASS_BITS) | class as u32);
                previous = Some(class);
            }
        }
        let _ = writeln!(out, "/// (first code point << {CLASS_BITS}) | class, for each run of one class.");
        let _ = writeln!(out, "pub(crate) static CLASS_STARTS: [u32; {}] = [", starts.len());
        for chunk in starts.chunks(8) {
            let line: Vec<String> = chunk.iter().map(|s| format!("0x{s:x}")).collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n\n");

        let mut entries = Vec::new();
        let mut chars: Vec<char> = Vec::new();
        for c in all_chars() {
            let code = c as u32;
            if (HANGUL_BASE..HANGUL_BASE + HANGUL_COUNT).contains(&code) {
                continue;
            }
            let d = reference_decomposition(c);
            if d == [c] {
                continue;
            }
            // Share the expansion with an earlier one when it is already in the array.
            let start = chars.windows(d.len().max(1)).position(|w| w == d.as_slice()).unwrap_or_else(|| {
                chars.extend(&d);
                chars.len() - d.len()
            });
            entries.push((c, start, d.len()));
        }
        let _ = writeln!(out, "/// (character, start in DECOMPOSED, length) for each character NFD changes.");
        let _ = writeln!(out, "pub(crate) static DECOMPOSITIONS: [(char, u16, u8); {}] = [", entries.len());
        for chunk in entries.chunks(4) {
            let line: Vec<String> =
                chunk.iter().map(|(c, s, l)| format!("('\\u{{{:x}}}', {s}, {l})", *c as u32)).collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n\n");
        let _ =
            writeln!(out, "/// The decompositions, without nonspacing marks that have a combining class.");
        let _ = writeln!(out, "pub(crate) static DECOMPOSED: [char; {}] = [", chars.len());
        for chunk in chars.chunks(8) {
            let line: Vec<String> = chunk.iter().map(|c| format!("'\\u{{{:x}}}'", *c as u32)).collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n\n");

        let classes: Vec<(char, u8)> = all_chars()
            .filter(|&c| reference_class(c) == Class::NonStarter)
            .map(|c| (c, canonical_combining_class(c)))
            .collect();
        let _ = writeln!(out, "/// Combining class of each character that is not Mn but has one.");
        let _ =
            writeln!(out, "pub(crate) static NON_MN_COMBINING_CLASSES: [(char, u8); {}] = [", classes.len());
        for chunk in classes.chunks(6) {
            let line: Vec<String> =
                chunk.iter().map(|(c, k)| format!("('\\u{{{:x}}}', {k})", *c as u32)).collect();
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn unicode_tables_are_generated_from_the_current_crates() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/unicode_tables.rs");
        let fresh = generate();
        if std::env::var_os("UPDATE_UNICODE_TABLES").is_some() {
            std::fs::write(&path, &fresh).expect("write unicode_tables.rs");
        }
        let current = std::fs::read_to_string(&path).expect("read unicode_tables.rs");
        assert!(current == fresh, "src/unicode_tables.rs is stale: rerun with UPDATE_UNICODE_TABLES=1");
    }

    fn shipped_file() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/embeddings/unicode.bin")
    }

    #[test]
    fn the_shipped_file_holds_the_builtin_tables() {
        let bytes = UnicodeTables::builtin().to_bytes();
        if std::env::var_os("UPDATE_UNICODE_TABLES").is_some() {
            std::fs::write(shipped_file(), &bytes).expect("write unicode.bin");
        }
        let shipped = std::fs::read(shipped_file()).expect("read static/embeddings/unicode.bin");
        assert!(
            shipped == bytes,
            "static/embeddings/unicode.bin is stale: rerun with UPDATE_UNICODE_TABLES=1"
        );
        assert_eq!(UnicodeTables::from_bytes(&shipped), Ok(UnicodeTables::builtin()));
    }

    #[test]
    fn malformed_files_are_errors() {
        let bytes = UnicodeTables::builtin().to_bytes();
        assert_eq!(UnicodeTables::from_bytes(b"nope"), Err(TableError::Truncated { expected: 8, actual: 4 }));
        assert_eq!(UnicodeTables::from_bytes(&[0; 40]), Err(TableError::NotATable));
        for cut in [9, 30, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                matches!(UnicodeTables::from_bytes(&bytes[..cut]), Err(TableError::Truncated { .. })),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(UnicodeTables::from_bytes(&longer), Err(TableError::NotATable));
        let mut bad_char = bytes.clone();
        let first_decomposition = 8 + 16 + 4 * UnicodeTables::builtin().class_starts.len();
        bad_char[first_decomposition..first_decomposition + 4].copy_from_slice(&0xD800u32.to_le_bytes());
        assert_eq!(UnicodeTables::from_bytes(&bad_char), Err(TableError::NotATable));
    }

    #[test]
    fn every_code_point_has_the_class_and_decomposition_of_the_crates() {
        let tables = UnicodeTables::builtin();
        for c in all_chars() {
            assert_eq!(tables.class_of(c), reference_class(c), "class of U+{:04X}", c as u32);
            let mut ours = Vec::new();
            tables.decompose(c, |d| ours.push(d));
            assert_eq!(ours, reference_decomposition(c), "decomposition of U+{:04X}", c as u32);
        }
    }

    fn reference_nfd_without_marks(text: &str) -> String {
        text.nfd().filter(|c| get_general_category(*c) != G::NonspacingMark).collect()
    }

    fn ours(text: &str) -> String {
        let mut out = String::new();
        UnicodeTables::builtin().nfd_without_marks(text, |c| out.push(c));
        out
    }

    #[test]
    fn strings_normalize_like_the_crates() {
        for text in [
            "Café",
            "ÅΩ",
            "한국어",
            "e\u{301}\u{316}",
            "\u{1d160}\u{1d16d}\u{1d165}",
            "x\u{1d16d}\u{0f39}\u{1d165}",
        ] {
            assert_eq!(ours(text), reference_nfd_without_marks(text), "{text:?}");
        }
        // Random strings over the characters where order and marks matter: every nonspacing
        // mark, every non-Mn non-starter, decomposable characters and plain letters.
        let pool: Vec<char> = all_chars()
            .filter(|&c| {
                reference_class(c) != Class::Other
                    || reference_decomposition(c) != [c]
                    || c.is_ascii_alphabetic()
            })
            .filter(|&c| reference_class(c) != Class::Control)
            .collect();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = 1 + (next() % 8) as usize;
            let text: String = (0..len).map(|_| pool[(next() % pool.len() as u64) as usize]).collect();
            assert_eq!(ours(&text), reference_nfd_without_marks(&text), "{text:?}");
        }
    }
}
