;; filter: drops readings whose dataType is "debug" (answers []), passes every other reading unchanged.
;; Edge ABI as in tag.wat. Layout: the constant at 0, the input at 1024.., the output right after it.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "\22dataType\22:\22debug\22")  ;; 18 bytes: "dataType":"debug"

  (func (export "alloc") (param $len i32) (result i32)
    (local $need i32)
    (local.set $need (i32.shr_u
      (i32.add (i32.add (i32.shl (local.get $len) (i32.const 1)) (i32.const 1088)) (i32.const 65535))
      (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (if (i32.eq (memory.grow (i32.sub (local.get $need) (memory.size))) (i32.const -1))
        (then unreachable))))
    (i32.const 1024))

  (func $find (param $hay i32) (param $hayLen i32) (param $needle i32) (param $needleLen i32) (result i32)
    (local $i i32) (local $j i32)
    (block $none
      (loop $outer
        (br_if $none (i32.gt_s (local.get $needleLen) (i32.sub (local.get $hayLen) (local.get $i))))
        (local.set $j (i32.const 0))
        (block $mismatch
          (loop $inner
            (if (i32.eq (local.get $j) (local.get $needleLen)) (then (return (local.get $i))))
            (br_if $mismatch (i32.ne
              (i32.load8_u (i32.add (local.get $hay) (i32.add (local.get $i) (local.get $j))))
              (i32.load8_u (i32.add (local.get $needle) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $inner)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (i32.const -1))

  (func (export "process") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32)
    (local.set $out (i32.add (local.get $ptr) (local.get $len)))
    (i32.store8 (local.get $out) (i32.const 91))                                 ;; [
    (if (i32.ge_s (call $find (local.get $ptr) (local.get $len) (i32.const 0) (i32.const 18)) (i32.const 0))
      (then
        (i32.store8 (i32.add (local.get $out) (i32.const 1)) (i32.const 93))     ;; ]
        (return (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32)) (i64.const 2)))))
    (memory.copy (i32.add (local.get $out) (i32.const 1)) (local.get $ptr) (local.get $len))
    (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 1))) (i32.const 93))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (i32.add (local.get $len) (i32.const 2))))))
