# Warning flags from STYLE.md; -Werror only when PII_WERROR is on (CI, presets).
function(pii_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wundef -Wcast-qual -Wcast-align
    -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2
    -Wimplicit-fallthrough -Wnull-dereference)
  if(PII_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
