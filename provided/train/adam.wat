;; Adam's update of one parameter, in the wasm backend's own memory (provided/train/adam-wasm.ts).
;; Same arithmetic, in the same order, as tf.train.adam's kernels and adam.ts's JavaScript loop:
;; every f32 and f32x4 operation below is IEEE float32, rounded once, so the results are
;; bit-identical. Four elements at a time (SIMD), then the last n mod 4 one by one.
;; Assembled into adam-wasm.ts by `npm run build:wasm` (wabt); tests/numeric/adam.test.ts checks
;; that the bytes there are this file's.
(module
  (import "env" "memory" (memory 0))

  ;; x, g, m, v, out: byte offsets of n float32 each. m and v are updated in place; out gets the
  ;; new value of x. c1 = 1 - beta1^t, c2 = 1 - beta2^t, negLr = -learning rate.
  (func (export "adam")
    (param $x i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $omb1 f32) (param $omb2 f32)
    (param $c1 f32) (param $c2 f32) (param $eps f32) (param $negLr f32)
    (local $i i32) (local $vecEnd i32) (local $end i32)
    (local $B1 v128) (local $B2 v128) (local $OMB1 v128) (local $OMB2 v128)
    (local $C1 v128) (local $C2 v128) (local $EPS v128) (local $NEGLR v128)
    (local $g4 v128) (local $m4 v128) (local $v4 v128)
    (local $g1 f32) (local $m1 f32) (local $v1 f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $end) (i32.const -16)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $OMB1 (f32x4.splat (local.get $omb1)))
    (local.set $OMB2 (f32x4.splat (local.get $omb2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $NEGLR (f32x4.splat (local.get $negLr)))

    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vecEnd)))
        (local.set $g4 (v128.load (i32.add (local.get $g) (local.get $i))))
        ;; m <- beta1 m + (1 - beta1) g
        (local.set $m4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $B1))
            (f32x4.mul (local.get $g4) (local.get $OMB1))))
        ;; v <- beta2 v + (1 - beta2) g^2
        (local.set $v4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $B2))
            (f32x4.mul (f32x4.mul (local.get $g4) (local.get $g4)) (local.get $OMB2))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $m4))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $v4))
        ;; x <- x + (-lr) (m / c1) / (sqrt(v / c2) + eps)
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $m4) (local.get $C1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $v4) (local.get $C2))) (local.get $EPS)))
              (local.get $NEGLR))
            (v128.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))

    (block $scalarsDone
      (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $g1 (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $m1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
            (f32.mul (local.get $g1) (local.get $omb1))))
        (local.set $v1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
            (f32.mul (f32.mul (local.get $g1) (local.get $g1)) (local.get $omb2))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $m1))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $v1))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $m1) (local.get $c1))
                (f32.add (f32.sqrt (f32.div (local.get $v1) (local.get $c2))) (local.get $eps)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $scalars)))))
