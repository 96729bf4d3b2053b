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

/// `DoubleMetaphone`'s primary code, at most 4 bytes.
fn primary(word: &[u8]) -> Vec<u8> {
    let word = &word[..word.iter().position(|&c| c == 0).unwrap_or(word.len())];
    let length = word.len() as i64;
    let last = length - 1;
    let mut s: Vec<u8> = word.to_ascii_uppercase();
    s.extend_from_slice(b"     ");
    let n = s.len() as i64;
    let at = |p: i64| if p < 0 || p >= n { 0 } else { s[p as usize] };
    let vowel = |i: i64| b"AEIOUY".contains(&at(i));
    let sat = |start: i64, list: &[&str]| {
        start >= 0
            && start < n
            && list.iter().any(|t| s.get(start as usize..start as usize + t.len()) == Some(t.as_bytes()))
    };
    let has = |t: &[u8]| s.windows(t.len()).any(|w| w == t);
    let slavo = has(b"W") || has(b"K") || has(b"CZ");
    let germanic = sat(0, &["VAN ", "VON "]) || sat(0, &["SCH"]);
    let (mut p, mut q) = (Vec::<u8>::new(), Vec::<u8>::new());
    macro_rules! add {
        ($a:expr, $b:expr) => {{
            p.extend_from_slice($a.as_bytes());
            q.extend_from_slice($b.as_bytes());
        }};
    }
    let mut cur: i64 = 0;
    if sat(0, &["GN", "KN", "PN", "WR", "PS"]) {
        cur += 1;
    }
    if at(0) == b'X' {
        add!("S", "S");
        cur += 1;
    }
    while p.len() < 4 || q.len() < 4 {
        if cur >= length {
            break;
        }
        let c = at(cur);
        let skip2 = |ch: u8| if at(cur + 1) == ch { 2 } else { 1 };
        match c {
            b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => {
                if cur == 0 {
                    add!("A", "A");
                }
                cur += 1;
            }
            b'B' => {
                add!("P", "P");
                cur += skip2(b'B');
            }
            b'C' => {
                if cur > 1
                    && !vowel(cur - 2)
                    && sat(cur - 1, &["ACH"])
                    && at(cur + 2) != b'I'
                    && (at(cur + 2) != b'E' || sat(cur - 2, &["BACHER", "MACHER"]))
                {
                    add!("K", "K");
                    cur += 2;
                } else if cur == 0 && sat(cur, &["CAESAR"]) {
                    add!("S", "S");
                    cur += 2;
                } else if sat(cur, &["CHIA"]) {
                    add!("K", "K");
                    cur += 2;
                } else if sat(cur, &["CH"]) {
                    if cur > 0 && sat(cur, &["CHAE"]) {
                        add!("K", "X");
                    } else if (cur == 0
                        && (sat(cur + 1, &["HARAC", "HARIS"]) || sat(cur + 1, &["HOR", "HYM", "HIA", "HEM"]))
                        && !sat(0, &["CHORE"]))
                        || germanic
                        || sat(cur - 2, &["ORCHES", "ARCHIT", "ORCHID"])
                        || sat(cur + 2, &["T", "S"])
                        || ((sat(cur - 1, &["A", "O", "U", "E"]) || cur == 0)
                            && sat(cur + 2, &["L", "R", "N", "M", "B", "H", "F", "V", "W", " "]))
                    {
                        add!("K", "K");
                    } else if cur > 0 {
                        if sat(0, &["MC"]) {
                            add!("K", "K");
                        } else {
                            add!("X", "K");
                        }
                    } else {
                        add!("X", "X");
                    }
                    cur += 2;
                } else if sat(cur, &["CZ"]) && !sat(cur - 2, &["WICZ"]) {
                    add!("S", "X");
                    cur += 2;
                } else if sat(cur + 1, &["CIA"]) {
                    add!("X", "X");
                    cur += 3;
                } else if sat(cur, &["CC"]) && !(cur == 1 && at(0) == b'M') {
                    if sat(cur + 2, &["I", "E", "H"]) && !sat(cur + 2, &["HU"]) {
                        if (cur == 1 && at(cur - 1) == b'A') || sat(cur - 1, &["UCCEE", "UCCES"]) {
                            add!("KS", "KS");
                        } else {
                            add!("X", "X");
                        }
                        cur += 3;
                    } else {
                        add!("K", "K");
                        cur += 2;
                    }
                } else if sat(cur, &["CK", "CG", "CQ"]) {
                    add!("K", "K");
                    cur += 2;
                } else if sat(cur, &["CI", "CE", "CY"]) {
                    if sat(cur, &["CIO", "CIE", "CIA"]) {
                        add!("S", "X");
                    } else {
                        add!("S", "S");
                    }
                    cur += 2;
                } else {
                    add!("K", "K");
                    if sat(cur + 1, &[" C", " Q", " G"]) {
                        cur += 3;
                    } else if sat(cur + 1, &["C", "K", "Q"]) && !sat(cur + 1, &["CE", "CI"]) {
                        cur += 2;
                    } else {
                        cur += 1;
                    }
                }
            }
            b'D' => {
                if sat(cur, &["DG"]) {
                    if sat(cur + 2, &["I", "E", "Y"]) {
                        add!("J", "J");
                        cur += 3;
                    } else {
                        add!("TK", "TK");
                        cur += 2;
                    }
                } else if sat(cur, &["DT", "DD"]) {
                    add!("T", "T");
                    cur += 2;
                } else {
                    add!("T", "T");
                    cur += 1;
                }
            }
            b'F' => {
                cur += skip2(b'F');
                add!("F", "F");
            }
            b'G' => {
                if at(cur + 1) == b'H' {
                    if cur > 0 && !vowel(cur - 1) {
                        add!("K", "K");
                    } else if cur == 0 {
                        if at(cur + 2) == b'I' {
                            add!("J", "J");
                        } else {
                            add!("K", "K");
                        }
                    } else if (cur > 1 && sat(cur - 2, &["B", "H", "D"]))
                        || (cur > 2 && sat(cur - 3, &["B", "H", "D"]))
                        || (cur > 3 && sat(cur - 4, &["B", "H"]))
                    {
                    } else if cur > 2 && at(cur - 1) == b'U' && sat(cur - 3, &["C", "G", "L", "R", "T"]) {
                        add!("F", "F");
                    } else if cur > 0 && at(cur - 1) != b'I' {
                        add!("K", "K");
                    }
                    cur += 2;
                } else if at(cur + 1) == b'N' {
                    if cur == 1 && vowel(0) && !slavo {
                        add!("KN", "N");
                    } else if !sat(cur + 2, &["EY"]) && at(cur + 1) != b'Y' && !slavo {
                        add!("N", "KN");
                    } else {
                        add!("KN", "KN");
                    }
                    cur += 2;
                } else if sat(cur + 1, &["LI"]) && !slavo {
                    add!("KL", "L");
                    cur += 2;
                } else if (cur == 0
                    && (at(cur + 1) == b'Y'
                        || sat(cur + 1, &["ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"])))
                    || ((sat(cur + 1, &["ER"]) || at(cur + 1) == b'Y')
                        && !sat(0, &["DANGER", "RANGER", "MANGER"])
                        && !sat(cur - 1, &["E", "I"])
                        && !sat(cur - 1, &["RGY", "OGY"]))
                {
                    add!("K", "J");
                    cur += 2;
                } else if sat(cur + 1, &["E", "I", "Y"]) || sat(cur - 1, &["AGGI", "OGGI"]) {
                    if germanic || sat(cur + 1, &["ET"]) {
                        add!("K", "K");
                    } else if sat(cur + 1, &["IER "]) {
                        add!("J", "J");
                    } else {
                        add!("J", "K");
                    }
                    cur += 2;
                } else {
                    cur += skip2(b'G');
                    add!("K", "K");
                }
            }
            b'H' => {
                if (cur == 0 || vowel(cur - 1)) && vowel(cur + 1) {
                    add!("H", "H");
                    cur += 2;
                } else {
                    cur += 1;
                }
            }
            b'J' => {
                if sat(cur, &["JOSE"]) || sat(0, &["SAN "]) {
                    if (cur == 0 && at(cur + 4) == b' ') || sat(0, &["SAN "]) {
                        add!("H", "H");
                    } else {
                        add!("J", "H");
                    }
                    cur += 1;
                } else {
                    if cur == 0 && !sat(cur, &["JOSE"]) {
                        add!("J", "A");
                    } else if vowel(cur - 1) && !slavo && (at(cur + 1) == b'A' || at(cur + 1) == b'O') {
                        add!("J", "H");
                    } else if cur == last {
                        add!("J", "");
                    } else if !sat(cur + 1, &["L", "T", "K", "S", "N", "M", "B", "Z"])
                        && !sat(cur - 1, &["S", "K", "L"])
                    {
                        add!("J", "J");
                    }
                    cur += skip2(b'J');
                }
            }
            b'K' => {
                cur += skip2(b'K');
                add!("K", "K");
            }
            b'L' => {
                if at(cur + 1) == b'L' {
                    if (cur == length - 3 && sat(cur - 1, &["ILLO", "ILLA", "ALLE"]))
                        || ((sat(last - 1, &["AS", "OS"]) || sat(last, &["A", "O"]))
                            && sat(cur - 1, &["ALLE"]))
                    {
                        add!("L", "");
                        cur += 2;
                        continue;
                    }
                    cur += 2;
                } else {
                    cur += 1;
                }
                add!("L", "L");
            }
            b'M' => {
                if (sat(cur - 1, &["UMB"]) && (cur + 1 == last || sat(cur + 2, &["ER"])))
                    || at(cur + 1) == b'M'
                {
                    cur += 2;
                } else {
                    cur += 1;
                }
                add!("M", "M");
            }
            b'N' => {
                cur += skip2(b'N');
                add!("N", "N");
            }
            b'P' => {
                if at(cur + 1) == b'H' {
                    add!("F", "F");
                    cur += 2;
                } else {
                    cur += if sat(cur + 1, &["P", "B"]) { 2 } else { 1 };
                    add!("P", "P");
                }
            }
            b'Q' => {
                cur += skip2(b'Q');
                add!("K", "K");
            }
            b'R' => {
                if cur == last && !slavo && sat(cur - 2, &["IE"]) && !sat(cur - 4, &["ME", "MA"]) {
                    add!("", "R");
                } else {
                    add!("R", "R");
                }
                cur += skip2(b'R');
            }
            b'S' => {
                if sat(cur - 1, &["ISL", "YSL"]) {
                    cur += 1;
                } else if cur == 0 && sat(cur, &["SUGAR"]) {
                    add!("X", "S");
                    cur += 1;
                } else if sat(cur, &["SH"]) {
                    if sat(cur + 1, &["HEIM", "HOEK", "HOLM", "HOLZ"]) {
                        add!("S", "S");
                    } else {
                        add!("X", "X");
                    }
                    cur += 2;
                } else if sat(cur, &["SIO", "SIA"]) || sat(cur, &["SIAN"]) {
                    if !slavo {
                        add!("S", "X");
                    } else {
                        add!("S", "S");
                    }
                    cur += 3;
                } else if (cur == 0 && sat(cur + 1, &["M", "N", "L", "W"])) || sat(cur + 1, &["Z"]) {
                    add!("S", "X");
                    cur += if sat(cur + 1, &["Z"]) { 2 } else { 1 };
                } else if sat(cur, &["SC"]) {
                    if at(cur + 2) == b'H' {
                        if sat(cur + 3, &["OO", "ER", "EN", "UY", "ED", "EM"]) {
                            if sat(cur + 3, &["ER", "EN"]) {
                                add!("X", "SK");
                            } else {
                                add!("SK", "SK");
                            }
                        } else if cur == 0 && !vowel(3) && at(3) != b'W' {
                            add!("X", "S");
                        } else {
                            add!("X", "X");
                        }
                    } else if sat(cur + 2, &["I", "E", "Y"]) {
                        add!("S", "S");
                    } else {
                        add!("SK", "SK");
                    }
                    cur += 3;
                } else {
                    if cur == last && sat(cur - 2, &["AI", "OI"]) {
                        add!("", "S");
                    } else {
                        add!("S", "S");
                    }
                    cur += if sat(cur + 1, &["S", "Z"]) { 2 } else { 1 };
                }
            }
            b'T' => {
                if sat(cur, &["TION"]) || sat(cur, &["TIA", "TCH"]) {
                    add!("X", "X");
                    cur += 3;
                } else if sat(cur, &["TH"]) || sat(cur, &["TTH"]) {
                    if sat(cur + 2, &["OM", "AM"]) || germanic {
                        add!("T", "T");
                    } else {
                        add!("0", "T");
                    }
                    cur += 2;
                } else {
                    cur += if sat(cur + 1, &["T", "D"]) { 2 } else { 1 };
                    add!("T", "T");
                }
            }
            b'V' => {
                cur += skip2(b'V');
                add!("F", "F");
            }
            b'W' => {
                if sat(cur, &["WR"]) {
                    add!("R", "R");
                    cur += 2;
                } else {
                    if cur == 0 && (vowel(cur + 1) || sat(cur, &["WH"])) {
                        if vowel(cur + 1) {
                            add!("A", "F");
                        } else {
                            add!("A", "A");
                        }
                    }
                    if (cur == last && vowel(cur - 1))
                        || sat(cur - 1, &["EWSKI", "EWSKY", "OWSKI", "OWSKY"])
                        || sat(0, &["SCH"])
                    {
                        add!("", "F");
                        cur += 1;
                    } else if sat(cur, &["WICZ", "WITZ"]) {
                        add!("TS", "FX");
                        cur += 4;
                    } else {
                        cur += 1;
                    }
                }
            }
            b'X' => {
                if !(cur == last && (sat(cur - 3, &["IAU", "EAU"]) || sat(cur - 2, &["AU", "OU"]))) {
                    add!("KS", "KS");
                }
                cur += if sat(cur + 1, &["C", "X"]) { 2 } else { 1 };
            }
            b'Z' => {
                if at(cur + 1) == b'H' {
                    add!("J", "J");
                    cur += 2;
                } else {
                    if sat(cur + 1, &["ZO", "ZI", "ZA"]) || (slavo && cur > 0 && at(cur - 1) != b'T') {
                        add!("S", "TS");
                    } else {
                        add!("S", "S");
                    }
                    cur += skip2(b'Z');
                }
            }
            _ => cur += 1,
        }
    }
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
