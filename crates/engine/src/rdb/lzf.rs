//! LZF as Redis 7.4 builds it (`src/lzf_c.c`, `src/lzf_d.c` with `lzfP.h`'s settings: HLOG 16,
//! VERY_FAST, CHECK_INPUT), so DUMP compresses strings and listpacks into the same bytes.
//!
//! One departure: Redis leaves its hash table uninitialised (INIT_HTAB 0), so a slot may hold a
//! stale pointer from an earlier call; such a pointer only matches when the bytes it points at
//! happen to repeat, which a clean table then finds or misses. Here the table starts empty.

const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);

fn idx(h: u32) -> usize {
    ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

/// `lzf_compress(input, len, out, out_len)`: the compressed bytes, or None when they would not
/// fit in `out_len` bytes (Redis then stores the string as it is).
pub fn compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let in_len = input.len();
    if in_len < 3 || out_len == 0 {
        return None;
    }
    // Slots hold positions; 0 doubles as "empty" since Redis never matches the first byte
    // (`ref > in_data`).
    let mut htab = vec![0u32; HSIZE];
    // Slack past out_len: the C code writes a start-of-run byte it may later take back.
    let mut out = vec![0u8; out_len + 8];
    let (mut ip, mut op, mut lit) = (0usize, 1usize, 0usize);
    let at = |i: usize| u32::from(input[i]);
    let mut hval = (at(0) << 8) | at(1);
    while ip + 2 < in_len {
        hval = (hval << 8) | at(ip + 2);
        let slot = idx(hval);
        let r = htab[slot] as usize;
        htab[slot] = ip as u32;
        if r > 0 && r < ip && ip - r - 1 < MAX_OFF && input[r..r + 3] == input[ip..ip + 3] {
            let off = ip - r - 1;
            let mut len = 2usize;
            let maxlen = (in_len - ip - len).min(MAX_REF);
            if op + 4 >= out_len && op - usize::from(lit == 0) + 4 >= out_len {
                return None;
            }
            out[op - lit - 1] = (lit as u8).wrapping_sub(1);
            op -= usize::from(lit == 0);
            let mut unrolled_broke = false;
            if maxlen > 16 {
                for _ in 0..16 {
                    len += 1;
                    if input[r + len] != input[ip + len] {
                        unrolled_broke = true;
                        break;
                    }
                }
            }
            if !unrolled_broke {
                loop {
                    len += 1;
                    if !(len < maxlen && input[r + len] == input[ip + len]) {
                        break;
                    }
                }
            }
            len -= 2;
            ip += 1;
            if len < 7 {
                out[op] = ((off >> 8) + (len << 5)) as u8;
                op += 1;
            } else {
                out[op] = ((off >> 8) + (7 << 5)) as u8;
                out[op + 1] = (len - 7) as u8;
                op += 2;
            }
            out[op] = off as u8;
            op += 2; // the offset byte, then a new run starts
            lit = 0;
            ip += len + 1;
            if ip + 2 >= in_len {
                break;
            }
            ip -= 2;
            hval = (at(ip) << 8) | at(ip + 1);
            for _ in 0..2 {
                hval = (hval << 8) | at(ip + 2);
                htab[idx(hval)] = ip as u32;
                ip += 1;
            }
        } else {
            if op >= out_len {
                return None;
            }
            lit += 1;
            out[op] = input[ip];
            op += 1;
            ip += 1;
            if lit == MAX_LIT {
                out[op - lit - 1] = (lit - 1) as u8;
                lit = 0;
                op += 1;
            }
        }
    }
    if op + 3 > out_len {
        return None;
    }
    while ip < in_len {
        lit += 1;
        out[op] = input[ip];
        op += 1;
        ip += 1;
        if lit == MAX_LIT {
            out[op - lit - 1] = (lit - 1) as u8;
            lit = 0;
            op += 1;
        }
    }
    out[op - lit - 1] = (lit as u8).wrapping_sub(1);
    op -= usize::from(lit == 0);
    out.truncate(op);
    Some(out)
}

/// `lzf_decompress`: exactly `out_len` bytes from `input`, or None if the input is corrupt or
/// does not decompress to that length.
pub fn decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(out_len);
    let mut ip = 0usize;
    while ip < input.len() {
        let ctrl = input[ip] as usize;
        ip += 1;
        if ctrl < (1 << 5) {
            let n = ctrl + 1;
            if out.len() + n > out_len || ip + n > input.len() {
                return None;
            }
            out.extend_from_slice(&input[ip..ip + n]);
            ip += n;
        } else {
            let mut len = ctrl >> 5;
            let back = ((ctrl & 0x1f) << 8) + 1;
            if len == 7 {
                len += *input.get(ip)? as usize;
                ip += 1;
            }
            let back = back + *input.get(ip)? as usize;
            ip += 1;
            if out.len() + len + 2 > out_len || back > out.len() {
                return None;
            }
            let start = out.len() - back;
            for i in 0..len + 2 {
                let b = out[start + i];
                out.push(b);
            }
        }
    }
    (out.len() == out_len).then_some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_and_refuses_what_does_not_fit() {
        let text = b"hello hello hello hello hello hello world".repeat(3);
        let packed = super::compress(&text, text.len() - 4).unwrap();
        assert!(packed.len() < text.len());
        assert_eq!(super::decompress(&packed, text.len()).unwrap(), text);
        assert_eq!(super::compress(b"abcdefghijklmnopqrstuvwxyz", 22), None);
        assert_eq!(super::decompress(&[0x20, 0], 3), None);
    }
}
