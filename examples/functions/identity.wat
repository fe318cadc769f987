;; identity: returns the reading unchanged, as a one-element array. The trivial function of the benchmark.
;; Layout: byte 1024 is '[', the input is copied by the host to 1025.., then ']' follows it.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $len i32) (result i32)
    (local $need i32)
    ;; pages needed for 1024 + 1 + len + 1 bytes
    (local.set $need (i32.shr_u (i32.add (i32.add (local.get $len) (i32.const 1026)) (i32.const 65535)) (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (if (i32.eq (memory.grow (i32.sub (local.get $need) (memory.size))) (i32.const -1)) (then unreachable))))
    (i32.const 1025))
  (func (export "process") (param $ptr i32) (param $len i32) (result i64)
    (i32.store8 (i32.const 1024) (i32.const 91))
    (i32.store8 (i32.add (local.get $ptr) (local.get $len)) (i32.const 93))
    (i64.or (i64.shl (i64.const 1024) (i64.const 32)) (i64.extend_i32_u (i32.add (local.get $len) (i32.const 2))))))
