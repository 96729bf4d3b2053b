//! Redis's CRC-64 (`src/crc64.c`): the Jones polynomial, reflected, initial value 0, no final
//! xor; DUMP payloads end with it. `crc64(b"123456789") == 0xe9c6d914c4b8d9ca`.

/// The Jones polynomial 0xad93d23594c935a9, bit-reversed for the reflected algorithm.
const POLY: u64 = 0x95ac_9329_ac4b_c9b5;

const TABLE: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u64;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ POLY } else { crc >> 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// The checksum of `data`, as Redis's `crc64(0, data, len)`.
pub fn crc64(data: &[u8]) -> u64 {
    data.iter().fold(0u64, |crc, &b| TABLE[((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8))
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        assert_eq!(super::crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }
}
