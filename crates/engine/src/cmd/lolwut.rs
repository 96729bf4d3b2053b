//! LOLWUT, as Redis 7.4's `lolwut.c`: the version line (7.x's own art), Georg Nees's Schotter in
//! braille (VERSION 5) and an 8-bit skyline in terminal colours (VERSION 6). The art's random
//! turns come from the engine's seeded generator instead of libc's `rand()`, so the pictures
//! differ from Redis's as two runs of Redis differ; what is not random (the top rows of
//! Schotter, the canvas sizes, the captions, the argument errors) is Redis's to the byte.

use super::spec;
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [spec(
    "lolwut",
    -1,
    &["readonly", "fast"],
    (0, 0, 0),
    "server",
    "Computer art and the Redis version (VERSION 5: Schotter; VERSION 6: a skyline).",
    "[VERSION version]",
    lolwut,
)]);

fn lolwut(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut rest = args.rest();
    let mut version = 7;
    if rest.len() >= 2 && rest[0].eq_ignore_ascii_case(b"version") {
        version = parse_i64(&rest[1]).ok_or_else(CmdError::not_integer)?;
        rest.drain(..2);
    }
    // Redis prints the version as an unsigned int and reads its first characters.
    let v = (version as u32).to_string();
    let longs = |n: usize, default: i64| -> Result<i64, CmdError> {
        rest.get(n).map_or(Ok(default), |a| parse_i64(a).ok_or_else(CmdError::not_integer))
    };
    let text = match v.as_str() {
        "5" => {
            let cols = longs(0, 66)?.clamp(1, 1000);
            let per_row = longs(1, 8)?.clamp(1, 200);
            let per_col = longs(2, 12)?.clamp(1, 200);
            let canvas = schotter(ctx, cols as i32, per_row as i32, per_col as i32);
            format!(
                "{}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. {}\n",
                braille(&canvas),
                super::connection::REDIS_VERSION
            )
        }
        "6" => {
            let cols = longs(0, 80)?.clamp(1, 1000);
            let rows = longs(1, 20)?.clamp(1, 1000);
            let mut canvas = Canvas::new(cols as i32, rows as i32, 3);
            skyline(ctx, &mut canvas);
            format!(
                "{}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. {}\n",
                colours(&canvas),
                super::connection::REDIS_VERSION
            )
        }
        _ => format!("Redis ver. {}\n", super::connection::REDIS_VERSION),
    };
    Ok(Frame::Verbatim(text.into()))
}

/// libc's `rand()`: 0 to RAND_MAX (2^31 - 1), here from the engine's generator.
fn rand(ctx: &mut Ctx) -> i32 {
    (ctx.server.random() >> 33) as i32
}

struct Canvas {
    width: i32,
    height: i32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: i32, height: i32, colour: u8) -> Canvas {
        Canvas { width, height, pixels: vec![colour; (width.max(0) * height.max(0)) as usize] }
    }

    fn set(&mut self, x: i32, y: i32, colour: u8) {
        if x >= 0 && x < self.width && y >= 0 && y < self.height {
            self.pixels[(x + y * self.width) as usize] = colour;
        }
    }

    fn get(&self, x: i32, y: i32) -> u8 {
        if x >= 0 && x < self.width && y >= 0 && y < self.height {
            self.pixels[(x + y * self.width) as usize]
        } else {
            0
        }
    }

    /// Bresenham, as `lwDrawLine`.
    fn line(&mut self, (mut x1, mut y1): (i32, i32), (x2, y2): (i32, i32)) {
        let (dx, dy) = ((x2 - x1).abs(), (y2 - y1).abs());
        let (sx, sy) = (if x1 < x2 { 1 } else { -1 }, if y1 < y2 { 1 } else { -1 });
        let mut err = dx - dy;
        loop {
            self.set(x1, y1, 1);
            if x1 == x2 && y1 == y2 {
                break;
            }
            let e2 = err * 2;
            if e2 > -dy {
                err -= dy;
                x1 += sx;
            }
            if e2 < dx {
                err += dx;
                y1 += sy;
            }
        }
    }

    /// `lwDrawSquare`: a square of side `size` centred on (x, y), turned by `angle`.
    /// C's arithmetic kept: `size` and `k` are floats, `sin`/`cos`/`round` work in doubles.
    fn square(&mut self, x: i32, y: i32, size: f32, angle: f32) {
        use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};
        // Redis divides by this literal, a few digits of the square root of 2.
        #[allow(clippy::approx_constant)]
        let sqrt2 = 1.414_213_562_3;
        let size = ((f64::from(size) / sqrt2) as f32).round();
        let mut k = (FRAC_PI_4 + f64::from(angle)) as f32;
        let mut points = [(0, 0); 4];
        for p in &mut points {
            let (sin, cos) = (f64::from(k).sin(), f64::from(k).cos());
            *p = (
                (sin * f64::from(size) + f64::from(x)).round() as i32,
                (cos * f64::from(size) + f64::from(y)).round() as i32,
            );
            k = (f64::from(k) + FRAC_PI_2) as f32;
        }
        for j in 0..4 {
            self.line(points[j], points[(j + 1) % 4]);
        }
    }
}

/// `lwDrawSchotter`: rows of squares, turned and shifted more and more as they go down.
fn schotter(ctx: &mut Ctx, console_cols: i32, per_row: i32, per_col: i32) -> Canvas {
    let width = console_cols * 2;
    let padding = if width > 4 { 2 } else { 0 };
    let side = (width - padding * 2) as f32 / per_row as f32;
    let height = (side * per_col as f32) as i32 + padding * 2;
    let mut canvas = Canvas::new(width, height, 0);
    for y in 0..per_col {
        for x in 0..per_row {
            let mut sx = (x as f32 * side + side / 2.0) as i32 + padding;
            let mut sy = (y as f32 * side + side / 2.0) as i32 + padding;
            let mut angle = 0.0;
            if y > 1 {
                let mut r = [0f32; 3];
                for v in &mut r {
                    *v = rand(ctx) as f32 / i32::MAX as f32 / per_col as f32 * y as f32;
                }
                for v in &mut r {
                    if rand(ctx) % 2 == 1 {
                        *v = -*v;
                    }
                }
                angle = r[0];
                // C's `sx += r2 * side / 3`: the sum is truncated, not the step.
                sx = (sx as f32 + r[1] * side / 3.0) as i32;
                sy = (sy as f32 + r[2] * side / 3.0) as i32;
            }
            canvas.square(sx, sy, side, angle);
        }
    }
    canvas
}

/// Two pixels by four to a braille character (U+2800 + the dots' bits), as Redis renders.
fn braille(canvas: &Canvas) -> String {
    let mut text = String::new();
    let mut y = 0;
    while y < canvas.height {
        let mut x = 0;
        while x < canvas.width {
            let dots = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)];
            let byte = dots
                .iter()
                .enumerate()
                .fold(0u32, |b, (i, (dx, dy))| b | (u32::from(canvas.get(x + dx, y + dy) != 0) << i));
            text.push(char::from_u32(0x2800 + byte).unwrap_or(' '));
            x += 2;
        }
        if y != canvas.height - 1 {
            text.push('\n');
        }
        y += 4;
    }
    text
}

/// One skyscraper (`generateSkyscraper`): its windows two pixels wide, in the other grays.
fn skyscraper(
    ctx: &mut Ctx,
    canvas: &mut Canvas,
    xoff: i32,
    width: i32,
    height: i32,
    windows: bool,
    colour: u8,
) {
    let start = canvas.height - 1;
    let end = start - height + 1;
    let mut y = start;
    while y >= end {
        for x in xoff..xoff + width {
            if y == end && (x <= xoff + 1 || x >= xoff + width - 2) {
                continue;
            }
            let mut c = colour;
            if windows && x > xoff + 1 && x < xoff + width - 2 && y > end + 1 && y < start - 1 {
                let (relx, rely) = (x - (xoff + 1), y - (end + 1));
                if (relx / 2) % 2 != 0 && rely % 2 != 0 {
                    loop {
                        c = 1 + (rand(ctx) % 2) as u8;
                        if c != colour {
                            break;
                        }
                    }
                    if relx % 2 != 0 {
                        c = canvas.get(x - 1, y);
                    }
                }
            }
            canvas.set(x, y, c);
        }
        y -= 1;
    }
}

/// `generateSkyline`: two rows of plain towers in the grays, then black ones with windows.
fn skyline(ctx: &mut Ctx, canvas: &mut Canvas) {
    let h = canvas.height;
    for colour in [2u8, 1] {
        let mut offset = -10;
        while offset < canvas.width {
            offset += rand(ctx) % 8;
            let width = 10 + rand(ctx) % 9;
            let height = if colour == 2 { h / 2 + rand(ctx) % h / 2 } else { h / 2 + rand(ctx) % h / 3 };
            skyscraper(ctx, canvas, offset, width, height, false, colour);
            offset += if colour == 2 { width / 2 } else { width + 1 };
        }
    }
    let mut offset = -10;
    while offset < canvas.width {
        offset += rand(ctx) % 8;
        let mut width = 5 + rand(ctx) % 14;
        if width % 4 != 0 {
            width += width % 3;
        }
        let height = h / 3 + rand(ctx) % h / 2;
        skyscraper(ctx, canvas, offset, width, height, true, 0);
        offset += width + 5;
    }
}

/// A space per pixel in the four grays of a colour terminal.
fn colours(canvas: &Canvas) -> String {
    let mut text = String::new();
    for y in 0..canvas.height {
        for x in 0..canvas.width {
            let code = match canvas.get(x, y) {
                1 => "0;90;100m",
                2 => "0;37;47m",
                3 => "0;97;107m",
                _ => "0;30;40m",
            };
            text.push_str(&format!("\x1b[{code} \x1b[0m"));
        }
        if y != canvas.height - 1 {
            text.push('\n');
        }
    }
    text
}
