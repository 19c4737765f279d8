//! Affine matrices in PDF's row-vector convention.

/// A PDF transformation matrix `[a b c d e f]`, mapping a point `(x, y)` to
/// `(a·x + c·y + e, b·x + d·y + f)`.
///
/// `p.mul(q)` is "first `p`, then `q`", the order PDF writes `Trm = Tm × CTM`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub e: f32,
    pub f: f32,
}

impl Matrix {
    pub const IDENTITY: Matrix = Matrix { a: 1.0, b: 0.0, c: 0.0, d: 1.0, e: 0.0, f: 0.0 };

    pub fn new(a: f32, b: f32, c: f32, d: f32, e: f32, f: f32) -> Matrix {
        Matrix { a, b, c, d, e, f }
    }

    /// A matrix from six operands; `None` unless all are finite.
    pub fn from_slice(v: &[f32]) -> Option<Matrix> {
        match v {
            [a, b, c, d, e, f] if v.iter().all(|n| n.is_finite()) => Some(Matrix::new(*a, *b, *c, *d, *e, *f)),
            _ => None,
        }
    }

    #[cfg(test)]
    pub fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix::new(1.0, 0.0, 0.0, 1.0, tx, ty)
    }

    /// `self` applied first, then `next`.
    pub fn mul(&self, next: &Matrix) -> Matrix {
        Matrix {
            a: self.a * next.a + self.b * next.c,
            b: self.a * next.b + self.b * next.d,
            c: self.c * next.a + self.d * next.c,
            d: self.c * next.b + self.d * next.d,
            e: self.e * next.a + self.f * next.c + next.e,
            f: self.e * next.b + self.f * next.d + next.f,
        }
    }

    /// Moves the origin by `(tx, ty)` in this matrix's own (input) space:
    /// `translate(tx, ty).mul(self)`, without the full product.
    pub fn pre_translate(&mut self, tx: f32, ty: f32) {
        self.e += tx * self.a + ty * self.c;
        self.f += tx * self.b + ty * self.d;
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f)
    }

    /// How much this matrix scales heights measured perpendicular to the
    /// image of the x axis (a text baseline): unaffected by shear.
    pub fn y_scale(&self) -> f32 {
        let x_len = (self.a * self.a + self.b * self.b).sqrt();
        if x_len > 1e-6 {
            (self.a * self.d - self.b * self.c).abs() / x_len
        } else {
            (self.c * self.c + self.d * self.d).sqrt()
        }
    }

    /// Geometric-mean scale factor, for line widths.
    pub fn mean_scale(&self) -> f32 {
        (self.a * self.d - self.b * self.c).abs().sqrt()
    }

    /// The matrix mapping default user space of a page to this module's page
    /// space: origin at the top-left of `bbox` (`[llx, lly, urx, ury]`), y down,
    /// with the page's `/Rotate` (a multiple of 90, clockwise) applied.
    pub fn page_device(bbox: [f32; 4], rotate: i64) -> Matrix {
        let [llx, lly, urx, ury] = bbox;
        match rotate.rem_euclid(360) {
            90 => Matrix::new(0.0, 1.0, 1.0, 0.0, -lly, -llx),
            180 => Matrix::new(-1.0, 0.0, 0.0, 1.0, urx, -lly),
            270 => Matrix::new(0.0, -1.0, -1.0, 0.0, ury, urx),
            _ => Matrix::new(1.0, 0.0, 0.0, -1.0, -llx, ury),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Matrix;

    #[test]
    fn rotated_page_corners_map_to_top_left() {
        let bbox = [0.0, 0.0, 600.0, 800.0];
        // Rotate 90: the user-space lower-left corner is shown top-left.
        assert_eq!(Matrix::page_device(bbox, 90).apply(0.0, 0.0), (0.0, 0.0));
        assert_eq!(Matrix::page_device(bbox, 90).apply(0.0, 800.0), (800.0, 0.0));
        // Rotate 270: the upper-right corner is shown top-left.
        assert_eq!(Matrix::page_device(bbox, 270).apply(600.0, 800.0), (0.0, 0.0));
        // Rotate 180: the lower-right corner is shown top-left.
        assert_eq!(Matrix::page_device(bbox, 180).apply(600.0, 0.0), (0.0, 0.0));
        assert_eq!(Matrix::page_device(bbox, 0).apply(0.0, 800.0), (0.0, 0.0));
    }

    #[test]
    fn mul_applies_left_operand_first() {
        let scale = Matrix::new(2.0, 0.0, 0.0, 2.0, 0.0, 0.0);
        let shift = Matrix::translate(10.0, 0.0);
        assert_eq!(scale.mul(&shift).apply(1.0, 0.0), (12.0, 0.0));
        let mut m = scale;
        m.pre_translate(1.0, 0.0);
        assert_eq!(m, Matrix::translate(1.0, 0.0).mul(&scale));
    }
}
