//! Reassembles reply frames from WebSocket messages. The proxy sends one message per request
//! message, but nothing in RESP stops a frame from spanning messages, so bytes are buffered
//! and parsed incrementally: each complete frame comes out with its exact wire bytes (the
//! compare mode diffs those, not a re-encoding).

use playground_engine::resp::{parse_frame, Limits, ProtocolError};
use playground_engine::Frame;

/// Bytes received and not yet parsed into a frame.
#[derive(Default)]
pub struct ReplyStream {
    buf: Vec<u8>,
}

impl ReplyStream {
    /// Add received bytes and take every frame that is now complete, with its raw bytes.
    /// A malformed stream is an error: the connection cannot be trusted after it.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<(Frame, Vec<u8>)>, ProtocolError> {
        self.buf.extend_from_slice(bytes);
        let limits = Limits::default();
        let mut out = Vec::new();
        let mut start = 0;
        while start < self.buf.len() {
            let rest = self.buf.get(start..).unwrap_or_default();
            match parse_frame(rest, &limits)? {
                Some((frame, used)) if used > 0 => {
                    out.push((frame, rest.get(..used).unwrap_or_default().to_vec()));
                    start += used;
                }
                _ => break,
            }
        }
        self.buf.drain(..start.min(self.buf.len()));
        Ok(out)
    }

    /// Bytes of a frame still incomplete.
    pub fn pending_bytes(&self) -> usize {
        self.buf.len()
    }

    pub fn clear(&mut self) {
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_frames_in_one_message() {
        let mut s = ReplyStream::default();
        let got = s.push(b"+OK\r\n:5\r\n$3\r\nabc\r\n").map(|v| v.len());
        assert_eq!(got, Ok(3));
        assert_eq!(s.pending_bytes(), 0);
    }

    #[test]
    fn a_frame_split_at_every_byte_comes_out_once_and_whole() {
        let wire: &[u8] = b"*3\r\n$1\r\na\r\n%1\r\n+k\r\n,1.5\r\n_\r\n";
        let mut s = ReplyStream::default();
        let mut frames = Vec::new();
        for b in wire {
            frames.extend(s.push(std::slice::from_ref(b)).unwrap_or_default());
        }
        assert_eq!(frames.len(), 1);
        let (frame, raw) = &frames[0];
        assert_eq!(raw.as_slice(), wire);
        assert!(matches!(frame, Frame::Array(items) if items.len() == 3));
    }

    #[test]
    fn the_tail_of_one_message_and_the_head_of_the_next() {
        let mut s = ReplyStream::default();
        let first = s.push(b"+PONG\r\n$5\r\nhel").unwrap_or_default();
        assert_eq!(first.len(), 1);
        assert_eq!(s.pending_bytes(), 7);
        let second = s.push(b"lo\r\n-ERR x\r\n").unwrap_or_default();
        assert_eq!(second.len(), 2);
        assert_eq!(second[0].1, b"$5\r\nhello\r\n".to_vec());
        assert_eq!(second[1].0, Frame::Error("ERR x".into()));
    }

    #[test]
    fn garbage_is_a_protocol_error_not_a_panic() {
        let mut s = ReplyStream::default();
        assert!(s.push(b"$abc\r\n").is_err());
    }
}
