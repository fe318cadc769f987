;; tag: enriches every reading with metadata.edgeFn = "tag" (the example function of docs/edge-agent.md
;; and the demo). Edge ABI: exports memory, alloc(len) -> ptr and process(ptr, len) -> (outPtr << 32) | outLen;
;; the input is one reading as compact JSON (null fields omitted), the output a JSON array of readings.
;; Layout: constants at 0..63, the input at 1024.., the output right after the input.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "\22metadata\22:{")        ;; 12 bytes: "metadata":{
  (data (i32.const 16) "\22edgeFn\22:\22tag\22")  ;; 14 bytes: "edgeFn":"tag"

  ;; room for 1024 + input + output (input + 64): grows memory as needed, traps when refused
  (func (export "alloc") (param $len i32) (result i32)
    (local $need i32)
    (local.set $need (i32.shr_u
      (i32.add (i32.add (i32.shl (local.get $len) (i32.const 1)) (i32.const 1088)) (i32.const 65535))
      (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (if (i32.eq (memory.grow (i32.sub (local.get $need) (memory.size))) (i32.const -1))
        (then unreachable))))
    (i32.const 1024))

  ;; index of the first occurrence of needle in hay, or -1
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

  ;; copies n bytes from src to dst; returns dst + n
  (func $copy (param $dst i32) (param $src i32) (param $n i32) (result i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n))
    (i32.add (local.get $dst) (local.get $n)))

  ;; appends one byte at o; returns o + 1
  (func $put (param $o i32) (param $b i32) (result i32)
    (i32.store8 (local.get $o) (local.get $b))
    (i32.add (local.get $o) (i32.const 1)))

  (func (export "process") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32) (local $o i32) (local $at i32) (local $rest i32)
    (local.set $out (i32.add (local.get $ptr) (local.get $len)))
    (local.set $o (call $put (local.get $out) (i32.const 91)))                  ;; [
    (local.set $at (call $find (local.get $ptr) (local.get $len) (i32.const 0) (i32.const 12)))
    (if (i32.ge_s (local.get $at) (i32.const 0))
      (then
        ;; the reading has metadata: insert "edgeFn":"tag" as its first member
        (local.set $rest (i32.add (local.get $ptr) (i32.add (local.get $at) (i32.const 12))))
        (local.set $o (call $copy (local.get $o) (local.get $ptr) (i32.sub (local.get $rest) (local.get $ptr))))
        (local.set $o (call $copy (local.get $o) (i32.const 16) (i32.const 14)))
        (if (i32.ne (i32.load8_u (local.get $rest)) (i32.const 125))              ;; not }
          (then (local.set $o (call $put (local.get $o) (i32.const 44)))))        ;; ,
        (local.set $o (call $copy (local.get $o) (local.get $rest)
          (i32.sub (local.get $out) (local.get $rest)))))
      (else
        ;; no metadata: {"metadata":{"edgeFn":"tag"}, then the reading's members
        (local.set $o (call $put (local.get $o) (i32.const 123)))                ;; {
        (local.set $o (call $copy (local.get $o) (i32.const 0) (i32.const 12)))
        (local.set $o (call $copy (local.get $o) (i32.const 16) (i32.const 14)))
        (local.set $o (call $put (local.get $o) (i32.const 125)))                ;; }
        (if (i32.ne (i32.load8_u (i32.add (local.get $ptr) (i32.const 1))) (i32.const 125))
          (then (local.set $o (call $put (local.get $o) (i32.const 44)))))
        (local.set $o (call $copy (local.get $o) (i32.add (local.get $ptr) (i32.const 1))
          (i32.sub (local.get $len) (i32.const 1))))))
    (local.set $o (call $put (local.get $o) (i32.const 93)))                    ;; ]
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (i32.sub (local.get $o) (local.get $out))))))
