/* A reference for the engine's model of VecSim's FLOAT32 kernels (crates/engine/src/search/
 * vector.rs): the same loads, lanes and operations written with the x86 intrinsics themselves,
 * so the CPU computes them. Built and run by tests/vecsim_kernels.rs (x86-64 only).
 *
 * Reads lines "KERNEL METRIC DIM a0 .. a(DIM-1) b0 .. b(DIM-1)" (kernel 0 = AVX-512, 1 = AVX,
 * 2 = SSE; metric 0 = IP, 1 = L2; components as f32 bit patterns in hex) and prints each
 * distance's bit pattern in hex. Compiled without FMA contraction: only the AVX-512 kernel fuses,
 * through _mm512_fmadd_ps, as VecSim's does. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((target("avx512f"))) static float avx512(int l2, const float *a, const float *b, size_t dim) {
    size_t r = dim % 16, i = 0;
    __m512 sum = _mm512_setzero_ps();
    if (r) {
        __mmask16 m = (__mmask16)((1u << r) - 1);
        __m512 x = _mm512_maskz_loadu_ps(m, a), y = _mm512_maskz_loadu_ps(m, b);
        if (l2) {
            __m512 d = _mm512_sub_ps(x, y);
            sum = _mm512_mul_ps(d, d);
        } else {
            sum = _mm512_mul_ps(x, y);
        }
        i = r;
    }
    for (; i < dim; i += 16) {
        __m512 x = _mm512_loadu_ps(a + i), y = _mm512_loadu_ps(b + i);
        if (l2) {
            __m512 d = _mm512_sub_ps(x, y);
            sum = _mm512_fmadd_ps(d, d, sum);
        } else {
            sum = _mm512_fmadd_ps(x, y, sum);
        }
    }
    float s = _mm512_reduce_add_ps(sum);
    return l2 ? s : 1.0f - s;
}

__attribute__((target("avx"))) static float avx(int l2, const float *a, const float *b, size_t dim) {
    size_t head = (dim % 16) % 8, i = 0;
    __m256 sum = _mm256_setzero_ps();
    if (head) {
        /* VecSim blends a full load with zeros; zero-filled copies give the same lanes. */
        float xa[8] = {0}, ya[8] = {0};
        memcpy(xa, a, head * sizeof(float));
        memcpy(ya, b, head * sizeof(float));
        __m256 x = _mm256_loadu_ps(xa), y = _mm256_loadu_ps(ya);
        if (l2) {
            __m256 d = _mm256_sub_ps(x, y);
            sum = _mm256_mul_ps(d, d);
        } else {
            sum = _mm256_mul_ps(x, y);
        }
        i = head;
    }
    for (; i < dim; i += 8) {
        __m256 x = _mm256_loadu_ps(a + i), y = _mm256_loadu_ps(b + i);
        if (l2) {
            __m256 d = _mm256_sub_ps(x, y);
            sum = _mm256_add_ps(sum, _mm256_mul_ps(d, d));
        } else {
            sum = _mm256_add_ps(sum, _mm256_mul_ps(x, y));
        }
    }
    float t[8];
    _mm256_storeu_ps(t, sum);
    float s = t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
    return l2 ? s : 1.0f - s;
}

static float sse(int l2, const float *a, const float *b, size_t dim) {
    size_t head = (dim % 16) % 4, i = 0;
    __m128 sum = _mm_setzero_ps();
    if (head) {
        __m128 x, y;
        if (head == 3 && l2) {
            x = _mm_loadr_ps(a); /* a and b are 16-byte aligned here */
            y = _mm_loadr_ps(b);
            x = _mm_move_ss(x, y);
        } else if (head == 3) {
            x = _mm_loadh_pi(_mm_load_ss(a), (const __m64 *)(a + 1));
            y = _mm_loadh_pi(_mm_load_ss(b), (const __m64 *)(b + 1));
        } else if (head == 2) {
            x = _mm_loadh_pi(_mm_setzero_ps(), (const __m64 *)a);
            y = _mm_loadh_pi(_mm_setzero_ps(), (const __m64 *)b);
        } else {
            x = _mm_load_ss(a);
            y = _mm_load_ss(b);
        }
        if (l2) {
            __m128 d = _mm_sub_ps(x, y);
            sum = _mm_mul_ps(d, d);
        } else {
            sum = _mm_mul_ps(x, y);
        }
        i = head;
    }
    for (; i < dim; i += 4) {
        __m128 x = _mm_loadu_ps(a + i), y = _mm_loadu_ps(b + i);
        if (l2) {
            __m128 d = _mm_sub_ps(x, y);
            sum = _mm_add_ps(sum, _mm_mul_ps(d, d));
        } else {
            sum = _mm_add_ps(sum, _mm_mul_ps(x, y));
        }
    }
    float t[4];
    _mm_storeu_ps(t, sum);
    float s = t[0] + t[1] + t[2] + t[3];
    return l2 ? s : 1.0f - s;
}

/* VecSim's plain loop, which it uses below 16 dimensions whatever the CPU. */
static float naive(int l2, const float *a, const float *b, size_t dim) {
    float s = 0;
    for (size_t i = 0; i < dim; i++) {
        float t = l2 ? a[i] - b[i] : a[i];
        s += t * (l2 ? t : b[i]);
    }
    return l2 ? s : 1.0f - s;
}

static float from_bits(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

int main(void) {
    int kernel, metric;
    size_t dim;
    while (scanf("%d %d %zu", &kernel, &metric, &dim) == 3) {
        float *a = aligned_alloc(64, (dim + 16) * sizeof(float));
        float *b = aligned_alloc(64, (dim + 16) * sizeof(float));
        for (size_t v = 0; v < 2; v++) {
            for (size_t i = 0; i < dim; i++) {
                unsigned int u;
                if (scanf("%x", &u) != 1) return 2;
                (v ? b : a)[i] = from_bits(u);
            }
        }
        float d = dim < 16 ? naive(metric, a, b, dim) : kernel == 0 ? avx512(metric, a, b, dim) : kernel == 1 ? avx(metric, a, b, dim) : sse(metric, a, b, dim);
        uint32_t out;
        memcpy(&out, &d, sizeof out);
        printf("%08x\n", out);
        free(a);
        free(b);
    }
    return 0;
}
