/* Batch SHA-256 for RFC 9162 Merkle trees: leaf hashes H(0x00 || e) and node hashes
 * H(0x01 || l || r), a whole batch or level per call.
 *
 * Why C: in CPython each hashlib call costs ~0.6 µs of fixed overhead, while SHA-256 of 65
 * bytes with the CPU's SHA extensions costs ~0.05 µs, so a tree (2n-1 hashes) built call by
 * call can never reach the rate of hashing its n entries once. This module makes the same
 * libcrypto calls hashlib makes (OpenSSL's SHA-256, which uses SHA-NI or AVX2 where the CPU
 * has them) without the per-call interpreter overhead. libcrypto is the one CPython's
 * _hashlib already loaded; it is found with dlopen at import time, so building this needs
 * only a C compiler and Python's headers. Without it, merkle.py falls back to hashlib.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <string.h>

typedef int (*init_fn)(void *);
typedef int (*update_fn)(void *, const void *, size_t);
typedef int (*final_fn)(unsigned char *, void *);

static init_fn sha_init;
static update_fn sha_update;
static final_fn sha_final;

/* SHA256_CTX is 112 bytes in OpenSSL 1.1 and 3.x; keep room and alignment to spare. */
typedef struct { _Alignas(16) unsigned char opaque[256]; } ctx_t;

static inline void prefixed(unsigned char prefix, const unsigned char *d, size_t n, unsigned char *out) {
    ctx_t c;
    sha_init(&c);
    sha_update(&c, &prefix, 1);
    sha_update(&c, d, n);
    sha_final(out, &c);
}

static PyObject *hash_leaves(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "entries must be a sequence of bytes");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * 32);
    if (out == NULL) { Py_DECREF(seq); return NULL; }
    unsigned char *dst = (unsigned char *)PyBytes_AS_STRING(out);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = items[i];
        if (PyBytes_Check(item)) {
            prefixed(0x00, (const unsigned char *)PyBytes_AS_STRING(item), (size_t)PyBytes_GET_SIZE(item), dst + 32 * i);
        } else {
            Py_buffer view;
            if (PyObject_GetBuffer(item, &view, PyBUF_SIMPLE) < 0) { Py_DECREF(out); Py_DECREF(seq); return NULL; }
            prefixed(0x00, (const unsigned char *)view.buf, (size_t)view.len, dst + 32 * i);
            PyBuffer_Release(&view);
        }
    }
    Py_DECREF(seq);
    return out;
}

static PyObject *hash_nodes(PyObject *self, PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    if (view.len % 64) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "a level must be a whole number of 64-byte pairs");
        return NULL;
    }
    Py_ssize_t pairs = view.len / 64;
    PyObject *out = PyBytes_FromStringAndSize(NULL, pairs * 32);
    if (out == NULL) { PyBuffer_Release(&view); return NULL; }
    const unsigned char *src = (const unsigned char *)view.buf;
    unsigned char *dst = (unsigned char *)PyBytes_AS_STRING(out);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < pairs; i++) prefixed(0x01, src + 64 * i, 64, dst + 32 * i);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return out;
}

static PyMethodDef methods[] = {
    {"hash_leaves", hash_leaves, METH_O, "Concatenated SHA-256(0x00 || e) of each entry."},
    {"hash_nodes", hash_nodes, METH_O, "Concatenated SHA-256(0x01 || pair) of each 64-byte pair."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fasthash", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fasthash(void) {
    const char *names[] = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so", NULL};
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_NOLOAD);
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW);
    if (lib) {
        sha_init = (init_fn)dlsym(lib, "SHA256_Init");
        sha_update = (update_fn)dlsym(lib, "SHA256_Update");
        sha_final = (final_fn)dlsym(lib, "SHA256_Final");
    }
    if (!sha_init || !sha_update || !sha_final) {
        PyErr_SetString(PyExc_ImportError, "libcrypto's SHA-256 functions were not found");
        return NULL;
    }
    return PyModule_Create(&module);
}
