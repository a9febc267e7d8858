;; The fast path's micro-kernels in WebAssembly SIMD (f64x2), hand-written. Built into
;; kernel-wasm.ts by `npm run build:wasm` (tools/build-wasm.mjs, wabt from npm); a test rebuilds
;; it and checks the committed bytes.
;;
;; Called by direct.ts with byte addresses in this module's memory: a tile of outputs along the last spatial axis × 4 output channels (two f64x2 lanes
;; pairs). For tap j, the tile's first output reads input at xb + tx[j] and weights at
;; wb + tw[j]; each tap is I8 / 8 input channels; neighbouring outputs of the tile read input dx
;; bytes apart and are stored os bytes apart. The output rows have room for all 4 lanes (the
;; caller pads channels to a multiple of 4), so every store is a full v128.
;;
;; Each product is rounded, then added (no fused multiply-add): the sums are the plain path's
;; products in tap-major order, each output channel summed left to right in its own lane.
(module
  (memory (export "memory") 1)

  ;; 4 outputs × 4 channels: 8 accumulators, one weight pair loaded per channel for 4 outputs.
  (func (export "tile4")
    (param $tx i32) (param $tw i32) (param $nt i32) (param $I8 i32) (param $xb i32)
    (param $dx i32) (param $wb i32) (param $at i32) (param $os i32)
    (local $j i32) (local $xa i32) (local $wi i32) (local $end i32)
    (local $w0 v128) (local $w1 v128) (local $a v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (block $taps_done
      (loop $taps
        (br_if $taps_done (i32.ge_u (local.get $j) (local.get $nt)))
        (local.set $xa (i32.add (local.get $xb) (i32.load (i32.add (local.get $tx) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $wi (i32.add (local.get $wb) (i32.load (i32.add (local.get $tw) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $end (i32.add (local.get $xa) (local.get $I8)))
        (block $chan_done
          (br_if $chan_done (i32.ge_u (local.get $xa) (local.get $end)))
          (loop $chan
            (local.set $w0 (v128.load (local.get $wi)))
            (local.set $w1 (v128.load offset=16 (local.get $wi)))
            (local.set $a (v128.load64_splat (local.get $xa)))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $a) (local.get $w0))))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $a) (local.get $w1))))
            (local.set $a (v128.load64_splat (i32.add (local.get $xa) (local.get $dx))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $a) (local.get $w0))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $a) (local.get $w1))))
            (local.set $a (v128.load64_splat (i32.add (local.get $xa) (i32.shl (local.get $dx) (i32.const 1)))))
            (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $a) (local.get $w0))))
            (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $a) (local.get $w1))))
            (local.set $a (v128.load64_splat (i32.add (local.get $xa) (i32.mul (local.get $dx) (i32.const 3)))))
            (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $a) (local.get $w0))))
            (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $a) (local.get $w1))))
            (local.set $wi (i32.add (local.get $wi) (i32.const 32)))
            (local.set $xa (i32.add (local.get $xa) (i32.const 8)))
            (br_if $chan (i32.lt_u (local.get $xa) (local.get $end)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $taps)))
    (v128.store (local.get $at) (local.get $s00))
    (v128.store offset=16 (local.get $at) (local.get $s01))
    (local.set $at (i32.add (local.get $at) (local.get $os)))
    (v128.store (local.get $at) (local.get $s10))
    (v128.store offset=16 (local.get $at) (local.get $s11))
    (local.set $at (i32.add (local.get $at) (local.get $os)))
    (v128.store (local.get $at) (local.get $s20))
    (v128.store offset=16 (local.get $at) (local.get $s21))
    (local.set $at (i32.add (local.get $at) (local.get $os)))
    (v128.store (local.get $at) (local.get $s30))
    (v128.store offset=16 (local.get $at) (local.get $s31)))

  ;; 2 outputs × 4 channels, value and Σ|x·w| (stored at $at + $magOff): 8 accumulators.
  (func (export "tile2m")
    (param $tx i32) (param $tw i32) (param $nt i32) (param $I8 i32) (param $xb i32)
    (param $dx i32) (param $wb i32) (param $at i32) (param $os i32) (param $magOff i32)
    (local $j i32) (local $xa i32) (local $wi i32) (local $end i32)
    (local $w0 v128) (local $w1 v128) (local $a v128) (local $p v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $m00 v128) (local $m01 v128) (local $m10 v128) (local $m11 v128)
    (block $taps_done
      (loop $taps
        (br_if $taps_done (i32.ge_u (local.get $j) (local.get $nt)))
        (local.set $xa (i32.add (local.get $xb) (i32.load (i32.add (local.get $tx) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $wi (i32.add (local.get $wb) (i32.load (i32.add (local.get $tw) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $end (i32.add (local.get $xa) (local.get $I8)))
        (block $chan_done
          (br_if $chan_done (i32.ge_u (local.get $xa) (local.get $end)))
          (loop $chan
            (local.set $w0 (v128.load (local.get $wi)))
            (local.set $w1 (v128.load offset=16 (local.get $wi)))
            (local.set $a (v128.load64_splat (local.get $xa)))
            (local.set $p (f64x2.mul (local.get $a) (local.get $w0)))
            (local.set $s00 (f64x2.add (local.get $s00) (local.get $p)))
            (local.set $m00 (f64x2.add (local.get $m00) (f64x2.abs (local.get $p))))
            (local.set $p (f64x2.mul (local.get $a) (local.get $w1)))
            (local.set $s01 (f64x2.add (local.get $s01) (local.get $p)))
            (local.set $m01 (f64x2.add (local.get $m01) (f64x2.abs (local.get $p))))
            (local.set $a (v128.load64_splat (i32.add (local.get $xa) (local.get $dx))))
            (local.set $p (f64x2.mul (local.get $a) (local.get $w0)))
            (local.set $s10 (f64x2.add (local.get $s10) (local.get $p)))
            (local.set $m10 (f64x2.add (local.get $m10) (f64x2.abs (local.get $p))))
            (local.set $p (f64x2.mul (local.get $a) (local.get $w1)))
            (local.set $s11 (f64x2.add (local.get $s11) (local.get $p)))
            (local.set $m11 (f64x2.add (local.get $m11) (f64x2.abs (local.get $p))))
            (local.set $wi (i32.add (local.get $wi) (i32.const 32)))
            (local.set $xa (i32.add (local.get $xa) (i32.const 8)))
            (br_if $chan (i32.lt_u (local.get $xa) (local.get $end)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $taps)))
    (v128.store (local.get $at) (local.get $s00))
    (v128.store offset=16 (local.get $at) (local.get $s01))
    (v128.store (i32.add (local.get $at) (local.get $os)) (local.get $s10))
    (v128.store offset=16 (i32.add (local.get $at) (local.get $os)) (local.get $s11))
    (local.set $at (i32.add (local.get $at) (local.get $magOff)))
    (v128.store (local.get $at) (local.get $m00))
    (v128.store offset=16 (local.get $at) (local.get $m01))
    (v128.store (i32.add (local.get $at) (local.get $os)) (local.get $m10))
    (v128.store offset=16 (i32.add (local.get $at) (local.get $os)) (local.get $m11)))

  ;; 1 output × 4 channels; with $mag ≠ 0 also Σ|x·w| stored at $at + $magOff.
  (func (export "tile1")
    (param $tx i32) (param $tw i32) (param $nt i32) (param $I8 i32) (param $xb i32)
    (param $wb i32) (param $at i32) (param $mag i32) (param $magOff i32)
    (local $j i32) (local $xa i32) (local $wi i32) (local $end i32)
    (local $a v128) (local $p v128)
    (local $s0 v128) (local $s1 v128) (local $m0 v128) (local $m1 v128)
    (block $taps_done
      (loop $taps
        (br_if $taps_done (i32.ge_u (local.get $j) (local.get $nt)))
        (local.set $xa (i32.add (local.get $xb) (i32.load (i32.add (local.get $tx) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $wi (i32.add (local.get $wb) (i32.load (i32.add (local.get $tw) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $end (i32.add (local.get $xa) (local.get $I8)))
        (block $chan_done
          (br_if $chan_done (i32.ge_u (local.get $xa) (local.get $end)))
          (loop $chan
            (local.set $a (v128.load64_splat (local.get $xa)))
            (local.set $p (f64x2.mul (local.get $a) (v128.load (local.get $wi))))
            (local.set $s0 (f64x2.add (local.get $s0) (local.get $p)))
            (local.set $m0 (f64x2.add (local.get $m0) (f64x2.abs (local.get $p))))
            (local.set $p (f64x2.mul (local.get $a) (v128.load offset=16 (local.get $wi))))
            (local.set $s1 (f64x2.add (local.get $s1) (local.get $p)))
            (local.set $m1 (f64x2.add (local.get $m1) (f64x2.abs (local.get $p))))
            (local.set $wi (i32.add (local.get $wi) (i32.const 32)))
            (local.set $xa (i32.add (local.get $xa) (i32.const 8)))
            (br_if $chan (i32.lt_u (local.get $xa) (local.get $end)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $taps)))
    (v128.store (local.get $at) (local.get $s0))
    (v128.store offset=16 (local.get $at) (local.get $s1))
    (if (local.get $mag)
      (then
        (local.set $at (i32.add (local.get $at) (local.get $magOff)))
        (v128.store (local.get $at) (local.get $m0))
        (v128.store offset=16 (local.get $at) (local.get $m1))))))
