//! PHONETIC text fields: Double Metaphone as RediSearch 2.10 computes it (its
//! deps/phonetics/double_metaphone.c, Maurice Aubrey's Text::DoubleMetaphone 0.07, ported rule
//! for rule). RediSearch indexes and expands only the primary code, prefixed with `<`; the
//! same algorithm serves `dm:en`, `dm:fr`, `dm:pt` and `dm:es`.

/// The `<code` term of a lowercase token (None when the code is empty).
pub fn term(word: &str) -> Option<String> {
    let code = primary(word.as_bytes());
    (!code.is_empty()).then(|| format!("<{}", String::from_utf8_lossy(&code)))
}

/// The `<code` each token of a PHONETIC field's value is indexed with: its own when it is at
/// least `min` bytes long; a shorter one keeps the code of the token before it (RediSearch's
/// tokenizer leaves the previous token's code in place), none at the start.
pub fn codes(tokens: &[String], min: usize) -> Vec<Option<String>> {
    let mut code = None;
    tokens
        .iter()
        .map(|t| {
            if t.len() >= min {
                code = term(t);
            }
            code.clone()
        })
        .collect()
}

/// Is `m` a matcher RediSearch accepts (`dm:` and one of its four languages)?
pub fn valid_matcher(m: &[u8]) -> bool {
    matches!(m, b"dm:en" | b"dm:pt" | b"dm:fr" | b"dm:es")
}

/// The word being coded (uppercased, padded with 5 spaces as RediSearch's copy is) and the two
/// codes. Its helpers are kept out of line: inlined at each of the rules' call sites they
/// made the page's wasm much larger.
struct Word {
    s: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
}

impl Word {
    /// `GetAt`: the byte at `i`, 0 outside the padded word.
    #[inline(never)]
    fn at(&self, i: i64) -> u8 {
        usize::try_from(i).ok().and_then(|i| self.s.get(i)).copied().unwrap_or(0)
    }

    /// `IsVowel`.
    #[inline(never)]
    fn vowel(&self, i: i64) -> bool {
        b"AEIOUY".contains(&self.at(i)) && self.at(i) != 0
    }

    /// `StringAt`: does one of `list` start at `start` (inside the padded word)?
    #[inline(never)]
    fn sat(&self, start: i64, list: &[&str]) -> bool {
        let Ok(i) = usize::try_from(start) else { return false };
        i < self.s.len() && list.iter().any(|t| self.s.get(i..i + t.len()) == Some(t.as_bytes()))
    }

    /// `MetaphAdd` to both codes.
    #[inline(never)]
    fn add(&mut self, a: &str, b: &str) {
        self.p.extend_from_slice(a.as_bytes());
        self.q.extend_from_slice(b.as_bytes());
    }

    /// 2 when the next byte is `c` (a doubled letter), else 1.
    fn skip2(&self, cur: i64, c: u8) -> i64 {
        if self.at(cur + 1) == c {
            2
        } else {
            1
        }
    }
}

/// `DoubleMetaphone`'s primary code, at most 4 bytes.
fn primary(word: &[u8]) -> Vec<u8> {
    let word = &word[..word.iter().position(|&c| c == 0).unwrap_or(word.len())];
    let length = word.len() as i64;
    let last = length - 1;
    let mut s: Vec<u8> = word.to_ascii_uppercase();
    s.extend_from_slice(b"     ");
    let has = |t: &[u8]| s.windows(t.len()).any(|w| w == t);
    let slavo = has(b"W") || has(b"K") || has(b"CZ");
    let mut w = Word { s, p: Vec::new(), q: Vec::new() };
    let germanic = w.sat(0, &["VAN ", "VON "]) || w.sat(0, &["SCH"]);
    let mut cur: i64 = 0;
    if w.sat(0, &["GN", "KN", "PN", "WR", "PS"]) {
        cur += 1;
    }
    if w.at(0) == b'X' {
        w.add("S", "S");
        cur += 1;
    }
    while w.p.len() < 4 || w.q.len() < 4 {
        if cur >= length {
            break;
        }
        let c = w.at(cur);
        match c {
            b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => {
                if cur == 0 {
                    w.add("A", "A");
                }
                cur += 1;
            }
            b'B' => {
                w.add("P", "P");
                cur += w.skip2(cur, b'B');
            }
            b'C' => {
                if cur > 1
                    && !w.vowel(cur - 2)
                    && w.sat(cur - 1, &["ACH"])
                    && w.at(cur + 2) != b'I'
                    && (w.at(cur + 2) != b'E' || w.sat(cur - 2, &["BACHER", "MACHER"]))
                {
                    w.add("K", "K");
                    cur += 2;
                } else if cur == 0 && w.sat(cur, &["CAESAR"]) {
                    w.add("S", "S");
                    cur += 2;
                } else if w.sat(cur, &["CHIA"]) {
                    w.add("K", "K");
                    cur += 2;
                } else if w.sat(cur, &["CH"]) {
                    if cur > 0 && w.sat(cur, &["CHAE"]) {
                        w.add("K", "X");
                    } else if (cur == 0
                        && (w.sat(cur + 1, &["HARAC", "HARIS"])
                            || w.sat(cur + 1, &["HOR", "HYM", "HIA", "HEM"]))
                        && !w.sat(0, &["CHORE"]))
                        || germanic
                        || w.sat(cur - 2, &["ORCHES", "ARCHIT", "ORCHID"])
                        || w.sat(cur + 2, &["T", "S"])
                        || ((w.sat(cur - 1, &["A", "O", "U", "E"]) || cur == 0)
                            && w.sat(cur + 2, &["L", "R", "N", "M", "B", "H", "F", "V", "W", " "]))
                    {
                        w.add("K", "K");
                    } else if cur > 0 {
                        if w.sat(0, &["MC"]) {
                            w.add("K", "K");
                        } else {
                            w.add("X", "K");
                        }
                    } else {
                        w.add("X", "X");
                    }
                    cur += 2;
                } else if w.sat(cur, &["CZ"]) && !w.sat(cur - 2, &["WICZ"]) {
                    w.add("S", "X");
                    cur += 2;
                } else if w.sat(cur + 1, &["CIA"]) {
                    w.add("X", "X");
                    cur += 3;
                } else if w.sat(cur, &["CC"]) && !(cur == 1 && w.at(0) == b'M') {
                    if w.sat(cur + 2, &["I", "E", "H"]) && !w.sat(cur + 2, &["HU"]) {
                        if (cur == 1 && w.at(cur - 1) == b'A') || w.sat(cur - 1, &["UCCEE", "UCCES"]) {
                            w.add("KS", "KS");
                        } else {
                            w.add("X", "X");
                        }
                        cur += 3;
                    } else {
                        w.add("K", "K");
                        cur += 2;
                    }
                } else if w.sat(cur, &["CK", "CG", "CQ"]) {
                    w.add("K", "K");
                    cur += 2;
                } else if w.sat(cur, &["CI", "CE", "CY"]) {
                    if w.sat(cur, &["CIO", "CIE", "CIA"]) {
                        w.add("S", "X");
                    } else {
                        w.add("S", "S");
                    }
                    cur += 2;
                } else {
                    w.add("K", "K");
                    if w.sat(cur + 1, &[" C", " Q", " G"]) {
                        cur += 3;
                    } else if w.sat(cur + 1, &["C", "K", "Q"]) && !w.sat(cur + 1, &["CE", "CI"]) {
                        cur += 2;
                    } else {
                        cur += 1;
                    }
                }
            }
            b'D' => {
                if w.sat(cur, &["DG"]) {
                    if w.sat(cur + 2, &["I", "E", "Y"]) {
                        w.add("J", "J");
                        cur += 3;
                    } else {
                        w.add("TK", "TK");
                        cur += 2;
                    }
                } else if w.sat(cur, &["DT", "DD"]) {
                    w.add("T", "T");
                    cur += 2;
                } else {
                    w.add("T", "T");
                    cur += 1;
                }
            }
            b'F' => {
                cur += w.skip2(cur, b'F');
                w.add("F", "F");
            }
            b'G' => {
                if w.at(cur + 1) == b'H' {
                    if cur > 0 && !w.vowel(cur - 1) {
                        w.add("K", "K");
                    } else if cur == 0 {
                        if w.at(cur + 2) == b'I' {
                            w.add("J", "J");
                        } else {
                            w.add("K", "K");
                        }
                    } else if (cur > 1 && w.sat(cur - 2, &["B", "H", "D"]))
                        || (cur > 2 && w.sat(cur - 3, &["B", "H", "D"]))
                        || (cur > 3 && w.sat(cur - 4, &["B", "H"]))
                    {
                    } else if cur > 2 && w.at(cur - 1) == b'U' && w.sat(cur - 3, &["C", "G", "L", "R", "T"]) {
                        w.add("F", "F");
                    } else if cur > 0 && w.at(cur - 1) != b'I' {
                        w.add("K", "K");
                    }
                    cur += 2;
                } else if w.at(cur + 1) == b'N' {
                    if cur == 1 && w.vowel(0) && !slavo {
                        w.add("KN", "N");
                    } else if !w.sat(cur + 2, &["EY"]) && w.at(cur + 1) != b'Y' && !slavo {
                        w.add("N", "KN");
                    } else {
                        w.add("KN", "KN");
                    }
                    cur += 2;
                } else if w.sat(cur + 1, &["LI"]) && !slavo {
                    w.add("KL", "L");
                    cur += 2;
                } else if (cur == 0
                    && (w.at(cur + 1) == b'Y'
                        || w.sat(
                            cur + 1,
                            &["ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"],
                        )))
                    || ((w.sat(cur + 1, &["ER"]) || w.at(cur + 1) == b'Y')
                        && !w.sat(0, &["DANGER", "RANGER", "MANGER"])
                        && !w.sat(cur - 1, &["E", "I"])
                        && !w.sat(cur - 1, &["RGY", "OGY"]))
                {
                    w.add("K", "J");
                    cur += 2;
                } else if w.sat(cur + 1, &["E", "I", "Y"]) || w.sat(cur - 1, &["AGGI", "OGGI"]) {
                    if germanic || w.sat(cur + 1, &["ET"]) {
                        w.add("K", "K");
                    } else if w.sat(cur + 1, &["IER "]) {
                        w.add("J", "J");
                    } else {
                        w.add("J", "K");
                    }
                    cur += 2;
                } else {
                    cur += w.skip2(cur, b'G');
                    w.add("K", "K");
                }
            }
            b'H' => {
                if (cur == 0 || w.vowel(cur - 1)) && w.vowel(cur + 1) {
                    w.add("H", "H");
                    cur += 2;
                } else {
                    cur += 1;
                }
            }
            b'J' => {
                if w.sat(cur, &["JOSE"]) || w.sat(0, &["SAN "]) {
                    if (cur == 0 && w.at(cur + 4) == b' ') || w.sat(0, &["SAN "]) {
                        w.add("H", "H");
                    } else {
                        w.add("J", "H");
                    }
                    cur += 1;
                } else {
                    if cur == 0 && !w.sat(cur, &["JOSE"]) {
                        w.add("J", "A");
                    } else if w.vowel(cur - 1) && !slavo && (w.at(cur + 1) == b'A' || w.at(cur + 1) == b'O') {
                        w.add("J", "H");
                    } else if cur == last {
                        w.add("J", "");
                    } else if !w.sat(cur + 1, &["L", "T", "K", "S", "N", "M", "B", "Z"])
                        && !w.sat(cur - 1, &["S", "K", "L"])
                    {
                        w.add("J", "J");
                    }
                    cur += w.skip2(cur, b'J');
                }
            }
            b'K' => {
                cur += w.skip2(cur, b'K');
                w.add("K", "K");
            }
            b'L' => {
                if w.at(cur + 1) == b'L' {
                    if (cur == length - 3 && w.sat(cur - 1, &["ILLO", "ILLA", "ALLE"]))
                        || ((w.sat(last - 1, &["AS", "OS"]) || w.sat(last, &["A", "O"]))
                            && w.sat(cur - 1, &["ALLE"]))
                    {
                        w.add("L", "");
                        cur += 2;
                        continue;
                    }
                    cur += 2;
                } else {
                    cur += 1;
                }
                w.add("L", "L");
            }
            b'M' => {
                if (w.sat(cur - 1, &["UMB"]) && (cur + 1 == last || w.sat(cur + 2, &["ER"])))
                    || w.at(cur + 1) == b'M'
                {
                    cur += 2;
                } else {
                    cur += 1;
                }
                w.add("M", "M");
            }
            b'N' => {
                cur += w.skip2(cur, b'N');
                w.add("N", "N");
            }
            b'P' => {
                if w.at(cur + 1) == b'H' {
                    w.add("F", "F");
                    cur += 2;
                } else {
                    cur += if w.sat(cur + 1, &["P", "B"]) { 2 } else { 1 };
                    w.add("P", "P");
                }
            }
            b'Q' => {
                cur += w.skip2(cur, b'Q');
                w.add("K", "K");
            }
            b'R' => {
                if cur == last && !slavo && w.sat(cur - 2, &["IE"]) && !w.sat(cur - 4, &["ME", "MA"]) {
                    w.add("", "R");
                } else {
                    w.add("R", "R");
                }
                cur += w.skip2(cur, b'R');
            }
            b'S' => {
                if w.sat(cur - 1, &["ISL", "YSL"]) {
                    cur += 1;
                } else if cur == 0 && w.sat(cur, &["SUGAR"]) {
                    w.add("X", "S");
                    cur += 1;
                } else if w.sat(cur, &["SH"]) {
                    if w.sat(cur + 1, &["HEIM", "HOEK", "HOLM", "HOLZ"]) {
                        w.add("S", "S");
                    } else {
                        w.add("X", "X");
                    }
                    cur += 2;
                } else if w.sat(cur, &["SIO", "SIA"]) || w.sat(cur, &["SIAN"]) {
                    if !slavo {
                        w.add("S", "X");
                    } else {
                        w.add("S", "S");
                    }
                    cur += 3;
                } else if (cur == 0 && w.sat(cur + 1, &["M", "N", "L", "W"])) || w.sat(cur + 1, &["Z"]) {
                    w.add("S", "X");
                    cur += if w.sat(cur + 1, &["Z"]) { 2 } else { 1 };
                } else if w.sat(cur, &["SC"]) {
                    if w.at(cur + 2) == b'H' {
                        if w.sat(cur + 3, &["OO", "ER", "EN", "UY", "ED", "EM"]) {
                            if w.sat(cur + 3, &["ER", "EN"]) {
                                w.add("X", "SK");
                            } else {
                                w.add("SK", "SK");
                            }
                        } else if cur == 0 && !w.vowel(3) && w.at(3) != b'W' {
                            w.add("X", "S");
                        } else {
                            w.add("X", "X");
                        }
                    } else if w.sat(cur + 2, &["I", "E", "Y"]) {
                        w.add("S", "S");
                    } else {
                        w.add("SK", "SK");
                    }
                    cur += 3;
                } else {
                    if cur == last && w.sat(cur - 2, &["AI", "OI"]) {
                        w.add("", "S");
                    } else {
                        w.add("S", "S");
                    }
                    cur += if w.sat(cur + 1, &["S", "Z"]) { 2 } else { 1 };
                }
            }
            b'T' => {
                if w.sat(cur, &["TION"]) || w.sat(cur, &["TIA", "TCH"]) {
                    w.add("X", "X");
                    cur += 3;
                } else if w.sat(cur, &["TH"]) || w.sat(cur, &["TTH"]) {
                    if w.sat(cur + 2, &["OM", "AM"]) || germanic {
                        w.add("T", "T");
                    } else {
                        w.add("0", "T");
                    }
                    cur += 2;
                } else {
                    cur += if w.sat(cur + 1, &["T", "D"]) { 2 } else { 1 };
                    w.add("T", "T");
                }
            }
            b'V' => {
                cur += w.skip2(cur, b'V');
                w.add("F", "F");
            }
            b'W' => {
                if w.sat(cur, &["WR"]) {
                    w.add("R", "R");
                    cur += 2;
                } else {
                    if cur == 0 && (w.vowel(cur + 1) || w.sat(cur, &["WH"])) {
                        if w.vowel(cur + 1) {
                            w.add("A", "F");
                        } else {
                            w.add("A", "A");
                        }
                    }
                    if (cur == last && w.vowel(cur - 1))
                        || w.sat(cur - 1, &["EWSKI", "EWSKY", "OWSKI", "OWSKY"])
                        || w.sat(0, &["SCH"])
                    {
                        w.add("", "F");
                        cur += 1;
                    } else if w.sat(cur, &["WICZ", "WITZ"]) {
                        w.add("TS", "FX");
                        cur += 4;
                    } else {
                        cur += 1;
                    }
                }
            }
            b'X' => {
                if !(cur == last && (w.sat(cur - 3, &["IAU", "EAU"]) || w.sat(cur - 2, &["AU", "OU"]))) {
                    w.add("KS", "KS");
                }
                cur += if w.sat(cur + 1, &["C", "X"]) { 2 } else { 1 };
            }
            b'Z' => {
                if w.at(cur + 1) == b'H' {
                    w.add("J", "J");
                    cur += 2;
                } else {
                    if w.sat(cur + 1, &["ZO", "ZI", "ZA"]) || (slavo && cur > 0 && w.at(cur - 1) != b'T') {
                        w.add("S", "TS");
                    } else {
                        w.add("S", "S");
                    }
                    cur += w.skip2(cur, b'Z');
                }
            }
            _ => cur += 1,
        }
    }
    let mut p = w.p;
    p.truncate(4);
    p
}

#[cfg(test)]
mod tests {
    /// Codes RediSearch 2.10 indexed for these words (`FT.DEBUG DUMP_TERMS`, one word per index).
    const ORACLE: &str = concat!(
        "michael=<MKL schmidt=<XMT chemistry=<KMST caesar=<SSR jose=<HS thomas=<TMS edge=<AJ ",
        "laugh=<LF cough=<KF xavier=<SF wasserman=<ASRM filipowicz=<FLPT zhao=<J biaggi=<PJ ",
        "tagliaro=<TKLR mchugh=<MK gnome=<NM knight=<NT smith=<SM0 schneider=<XNTR snider=<SNTR ",
        "arnow=<ARN arnoff=<ARNF womo=<AM uomo=<AM jankelowicz=<JNKL yankelovich=<ANKL ",
        "bajador=<PJTR cabrillo=<KPRL gallegos=<KLKS rogier=<RJ hochmeier=<HKMR island=<ALNT ",
        "isle=<AL carlisle=<KRLL carlysle=<KRLL sugar=<XKR school=<SKL schooner=<SKNR ",
        "schermerhorn=<XRMR schenker=<XNKR resnais=<RSN artois=<ART breaux=<PR thumb=<0M dumb=<TM ",
        "campbell=<KMPL raspberry=<RSPR accident=<AKST accede=<AKST succeed=<SKST bellocchio=<PLX ",
        "bacchus=<PKS bertucci=<PRTX mcclellan=<MKLL czerny=<SRN focaccia=<FKX chianti=<KNT ",
        "chorus=<KRS orchestra=<ARKS orchid=<ARKT architect=<ARKT arch=<ARX wachtler=<AKTL ",
        "wechsler=<AKSL tichner=<TXNR edgar=<ATKR ghislane=<JLN ghiradelli=<JRTL hugh=<H bough=<P ",
        "broughton=<PRTN mclaughlin=<MKLF gough=<KF rough=<RF tough=<TF cagney=<KKN danger=<TNJR ",
        "ranger=<RNJR manger=<MNJR ghost=<KST ages=<AJS gym=<KM biology=<PLJ hello=<HL world=<ARLT ",
        "phone=<FN fone=<FN cat=<KT kat=<KT night=<NT nite=<NT gaelic=<KLK agnes=<AKNS signor=<SNR ",
        "sign=<SN ago=<AK question=<KSXN nation=<NXN tiaras=<XRS watch=<AX thames=<TMS vanhook=<FNK ",
        "vonwitz=<FNTS schwarz=<XRS zola=<SL zizi=<SS tsing=<TSNK tzar=<TSR quick=<KK quack=<KK ",
        "jazz=<JS pizza=<PS zuchini=<SXN mozart=<MSRT witz=<ATS czech=<SK bcd=<PKT aaaa=<A hhh= ",
        "knock=<NK wright=<RT psychology=<SXLJ pneumonia=<NMN eye=<A echo=<AX stephan=<STFN ",
        "steven=<STFN philip=<FLP felipe=<FLP ellen=<ALN allen=<ALN acacia=<AKS ciao=<S ",
        "succinct=<SXNK accept=<AKSP ciabatta=<SPT tomato=<TMT potato=<PTT macher=<MKR bacher=<PKR ",
        "ache=<AX achieve=<AXF ",
    );

    #[test]
    fn codes_match_redisearch() {
        for pair in ORACLE.split_whitespace() {
            let (word, code) = pair.split_once('=').unwrap();
            assert_eq!(super::term(word).unwrap_or_default(), code, "{word}");
        }
    }
}
