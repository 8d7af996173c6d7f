;; A dense layer's products on the wasm backend, in its own memory, without packing an operand
;; (provided/nets/matmul-wasm.ts registers it as the kernel RlhwMatMul).
;;
;;   C [m, n] = act(A B + bias),  A(i, k) read at a + i aRow + k aK (bytes), so A or A^T;
;;   B [k, n] row-major; bias [n] or none (0); act: ReLU or none.
;;
;; Why: XNNPACK, behind tfjs's matMul, packs every right operand it has not seen, and in a training
;; step every operand is new: W after each update, and in the backward pass dz and the transposed W;
;; it also runs only untransposed products, so h^T was transposed first. Here A is read in place,
;; transposed or not, and B row by row.
;;
;; The sums over k run in blocks of kBlock: each output element is (first block's sum) + (block
;; sum) + ..., and each block sum is s + a_k b_k + a_{k+1} b_{k+1} + ... in increasing k, from
;; s = the bias for the first block (else 0), every f32 operation rounded once; then ReLU as
;; tfjs-backend-wasm's XNNPACK does it on x86 hosts (0 < x ? x : 0, so NaN gives 0). With kBlock >= k that is XNNPACK's order;
;; with kBlock = 48 it is the order of wasm's naive loop (used for transposed products), so results
;; are bit-identical to tfjs's.
;; Tiles of 4 rows by 8, 4 or 1 columns; a tile past the last row repeats the last row's reads and
;; stores nothing for it. Assembled by `npm run build:wasm` (wabt) into matmul-wasm-bytes.ts.
(module
  (import "env" "memory" (memory 0))

  (func (export "matmul")
    (param $a i32) (param $aRow i32) (param $aK i32) (param $b i32) (param $c i32)
    (param $m i32) (param $k i32) (param $n i32) (param $kBlock i32) (param $bias i32) (param $relu i32)
    (local $k0 i32) (local $count i32) (local $i0 i32) (local $j0 i32) (local $rows i32)
    (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $pa i32) (local $bStride i32)
    (local $first i32) (local $act i32)
    (local.set $bStride (i32.shl (local.get $n) (i32.const 2)))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $k0) (local.get $k)))
        (local.set $count (i32.sub (local.get $k) (local.get $k0)))
        (if (i32.gt_u (local.get $count) (local.get $kBlock)) (then (local.set $count (local.get $kBlock))))
        (local.set $first (i32.eqz (local.get $k0)))
        ;; ReLU after the last block only
        (local.set $act (i32.and (local.get $relu) (i32.ge_u (i32.add (local.get $k0) (local.get $count)) (local.get $k))))
        (local.set $i0 (i32.const 0))
        (block $rowsDone
          (loop $rowTiles
            (br_if $rowsDone (i32.ge_u (local.get $i0) (local.get $m)))
            (local.set $rows (i32.sub (local.get $m) (local.get $i0)))
            ;; offsets of rows 1..3 from row 0; a row past the last repeats the one before it
            (local.set $o1 (select (local.get $aRow) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 1))))
            (local.set $o2 (select (i32.shl (local.get $aRow) (i32.const 1)) (local.get $o1) (i32.gt_u (local.get $rows) (i32.const 2))))
            (local.set $o3 (select (i32.mul (local.get $aRow) (i32.const 3)) (local.get $o2) (i32.gt_u (local.get $rows) (i32.const 3))))
            (local.set $pa (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $i0) (local.get $aRow)) (i32.mul (local.get $k0) (local.get $aK)))))
            (local.set $j0 (i32.const 0))
            (block $eightsDone
              (loop $eights
                (br_if $eightsDone (i32.gt_u (i32.add (local.get $j0) (i32.const 8)) (local.get $n)))
                (call $tile8 (local.get $pa) (local.get $o1) (local.get $o2) (local.get $o3) (local.get $aK)
                  (call $at (local.get $b) (local.get $k0) (local.get $n) (local.get $j0)) (local.get $bStride) (local.get $count)
                  (call $at (local.get $c) (local.get $i0) (local.get $n) (local.get $j0)) (local.get $bStride)
                  (local.get $rows) (call $biasAt (local.get $bias) (local.get $j0) (local.get $first)) (local.get $first) (local.get $act))
                (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
                (br $eights)))
            (if (i32.le_u (i32.add (local.get $j0) (i32.const 4)) (local.get $n))
              (then
                (call $tile4 (local.get $pa) (local.get $o1) (local.get $o2) (local.get $o3) (local.get $aK)
                  (call $at (local.get $b) (local.get $k0) (local.get $n) (local.get $j0)) (local.get $bStride) (local.get $count)
                  (call $at (local.get $c) (local.get $i0) (local.get $n) (local.get $j0)) (local.get $bStride)
                  (local.get $rows) (call $biasAt (local.get $bias) (local.get $j0) (local.get $first)) (local.get $first) (local.get $act))
                (local.set $j0 (i32.add (local.get $j0) (i32.const 4)))))
            (block $onesDone
              (loop $ones
                (br_if $onesDone (i32.ge_u (local.get $j0) (local.get $n)))
                (call $tile1 (local.get $pa) (local.get $o1) (local.get $o2) (local.get $o3) (local.get $aK)
                  (call $at (local.get $b) (local.get $k0) (local.get $n) (local.get $j0)) (local.get $bStride) (local.get $count)
                  (call $at (local.get $c) (local.get $i0) (local.get $n) (local.get $j0)) (local.get $bStride)
                  (local.get $rows) (call $biasAt (local.get $bias) (local.get $j0) (local.get $first)) (local.get $first) (local.get $act))
                (local.set $j0 (i32.add (local.get $j0) (i32.const 1)))
                (br $ones)))
            (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
            (br $rowTiles)))
        (local.set $k0 (i32.add (local.get $k0) (local.get $count)))
        (br $blocks))))

  ;; The byte offset of element (row, col) of a row-major float32 matrix with `cols` columns at `base`.
  (func $at (param $base i32) (param $row i32) (param $cols i32) (param $col i32) (result i32)
    (i32.add (local.get $base)
      (i32.shl (i32.add (i32.mul (local.get $row) (local.get $cols)) (local.get $col)) (i32.const 2))))

  ;; Where a tile's sums start from: the bias at column j0 in the first block, else 0 (none).
  (func $biasAt (param $bias i32) (param $j0 i32) (param $first i32) (result i32)
    (select (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2))) (i32.const 0)
      (i32.and (local.get $first) (i32.ne (local.get $bias) (i32.const 0)))))

  ;; The value stored at pc: the first block's sum, else C + the block's sum; then ReLU if act.
  (func $out4 (param $pc i32) (param $acc v128) (param $first i32) (param $act i32) (result v128)
    (local $v v128)
    (local.set $v
      (if (result v128) (local.get $first)
        (then (local.get $acc))
        (else (f32x4.add (v128.load (local.get $pc)) (local.get $acc)))))
    (if (result v128) (local.get $act)
      (then (f32x4.pmax (v128.const f32x4 0 0 0 0) (local.get $v)))
      (else (local.get $v))))

  (func $out1 (param $pc i32) (param $acc f32) (param $first i32) (param $act i32) (result f32)
    (local $v f32)
    (local.set $v
      (if (result f32) (local.get $first)
        (then (local.get $acc))
        (else (f32.add (f32.load (local.get $pc)) (local.get $acc)))))
    (if (result f32) (local.get $act)
      (then (select (local.get $v) (f32.const 0) (f32.lt (f32.const 0) (local.get $v))))
      (else (local.get $v))))

  ;; 4 rows x 8 columns: count steps of k from pa (rows at pa, pa+o1, pa+o2, pa+o3) and pb, from the
  ;; bias at pbias (or 0).
  (func $tile8
    (param $pa i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (param $aK i32)
    (param $pb i32) (param $bStride i32) (param $count i32)
    (param $pc i32) (param $cStride i32) (param $rows i32) (param $pbias i32) (param $first i32) (param $act i32)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (if (local.get $pbias) (then
      (local.set $c00 (v128.load (local.get $pbias)))
      (local.set $c01 (v128.load offset=16 (local.get $pbias)))
      (local.set $c10 (local.get $c00)) (local.set $c11 (local.get $c01))
      (local.set $c20 (local.get $c00)) (local.set $c21 (local.get $c01))
      (local.set $c30 (local.get $c00)) (local.set $c31 (local.get $c01))))
    (block $done
      (loop $steps
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $b0 (v128.load (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        (local.set $av (v128.load32_splat (local.get $pa)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
        (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $o1))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
        (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $o2))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
        (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $o3))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aK)))
        (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $steps)))
    (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c00) (local.get $first) (local.get $act)))
    (v128.store offset=16 (local.get $pc) (call $out4 (i32.add (local.get $pc) (i32.const 16)) (local.get $c01) (local.get $first) (local.get $act)))
    (if (i32.gt_u (local.get $rows) (i32.const 1)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c10) (local.get $first) (local.get $act)))
      (v128.store offset=16 (local.get $pc) (call $out4 (i32.add (local.get $pc) (i32.const 16)) (local.get $c11) (local.get $first) (local.get $act)))))
    (if (i32.gt_u (local.get $rows) (i32.const 2)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c20) (local.get $first) (local.get $act)))
      (v128.store offset=16 (local.get $pc) (call $out4 (i32.add (local.get $pc) (i32.const 16)) (local.get $c21) (local.get $first) (local.get $act)))))
    (if (i32.gt_u (local.get $rows) (i32.const 3)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c30) (local.get $first) (local.get $act)))
      (v128.store offset=16 (local.get $pc) (call $out4 (i32.add (local.get $pc) (i32.const 16)) (local.get $c31) (local.get $first) (local.get $act))))))

  ;; 4 rows x 4 columns, as $tile8.
  (func $tile4
    (param $pa i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (param $aK i32)
    (param $pb i32) (param $bStride i32) (param $count i32)
    (param $pc i32) (param $cStride i32) (param $rows i32) (param $pbias i32) (param $first i32) (param $act i32)
    (local $b0 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (if (local.get $pbias) (then
      (local.set $c0 (v128.load (local.get $pbias)))
      (local.set $c1 (local.get $c0)) (local.set $c2 (local.get $c0)) (local.set $c3 (local.get $c0))))
    (block $done
      (loop $steps
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $b0 (v128.load (local.get $pb)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (local.get $pa)) (local.get $b0))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $o1))) (local.get $b0))))
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $o2))) (local.get $b0))))
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $o3))) (local.get $b0))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aK)))
        (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $steps)))
    (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c0) (local.get $first) (local.get $act)))
    (if (i32.gt_u (local.get $rows) (i32.const 1)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c1) (local.get $first) (local.get $act)))))
    (if (i32.gt_u (local.get $rows) (i32.const 2)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c2) (local.get $first) (local.get $act)))))
    (if (i32.gt_u (local.get $rows) (i32.const 3)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (v128.store (local.get $pc) (call $out4 (local.get $pc) (local.get $c3) (local.get $first) (local.get $act))))))

  ;; 4 rows x 1 column, one float at a time.
  (func $tile1
    (param $pa i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (param $aK i32)
    (param $pb i32) (param $bStride i32) (param $count i32)
    (param $pc i32) (param $cStride i32) (param $rows i32) (param $pbias i32) (param $first i32) (param $act i32)
    (local $b0 f32) (local $c0 f32) (local $c1 f32) (local $c2 f32) (local $c3 f32)
    (if (local.get $pbias) (then
      (local.set $c0 (f32.load (local.get $pbias)))
      (local.set $c1 (local.get $c0)) (local.set $c2 (local.get $c0)) (local.set $c3 (local.get $c0))))
    (block $done
      (loop $steps
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $b0 (f32.load (local.get $pb)))
        (local.set $c0 (f32.add (local.get $c0) (f32.mul (f32.load (local.get $pa)) (local.get $b0))))
        (local.set $c1 (f32.add (local.get $c1) (f32.mul (f32.load (i32.add (local.get $pa) (local.get $o1))) (local.get $b0))))
        (local.set $c2 (f32.add (local.get $c2) (f32.mul (f32.load (i32.add (local.get $pa) (local.get $o2))) (local.get $b0))))
        (local.set $c3 (f32.add (local.get $c3) (f32.mul (f32.load (i32.add (local.get $pa) (local.get $o3))) (local.get $b0))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aK)))
        (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $steps)))
    (f32.store (local.get $pc) (call $out1 (local.get $pc) (local.get $c0) (local.get $first) (local.get $act)))
    (if (i32.gt_u (local.get $rows) (i32.const 1)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (f32.store (local.get $pc) (call $out1 (local.get $pc) (local.get $c1) (local.get $first) (local.get $act)))))
    (if (i32.gt_u (local.get $rows) (i32.const 2)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (f32.store (local.get $pc) (call $out1 (local.get $pc) (local.get $c2) (local.get $first) (local.get $act)))))
    (if (i32.gt_u (local.get $rows) (i32.const 3)) (then
      (local.set $pc (i32.add (local.get $pc) (local.get $cStride)))
      (f32.store (local.get $pc) (call $out1 (local.get $pc) (local.get $c3) (local.get $first) (local.get $act))))))
)
