/* An example implementation on convcheck's process protocol (docs/protocol.md), in C: ONNX Conv
 * (opset 22, 1-D to 3-D, groups, dilations, strides, pads, auto_pad, bias), computed in double.
 *
 *   gcc -O2 -o /tmp/conv examples/conv.c -lm
 *   npx convcheck validate --cmd /tmp/conv
 *
 * It prints a hello line, then answers each case line on stdin with one line. A minimal JSON
 * reader is included so that the example needs nothing but libc.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a minimal JSON reader ---- */
enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
typedef struct J {
  int type;
  double num;
  char *str;
  int len;
  struct J **items; /* array items or object values */
  char **keys;      /* object keys */
} J;

static const char *p; /* the parse position */
static int bad;

static void ws(void) { while (isspace((unsigned char)*p)) p++; }

static J *node(int type) {
  J *j = calloc(1, sizeof(J));
  j->type = type;
  return j;
}

static char *parse_string(void) {
  size_t cap = 16, n = 0;
  char *s = malloc(cap);
  p++; /* opening quote */
  while (*p && *p != '"') {
    char c = *p++;
    if (c == '\\') {
      c = *p++;
      if (c == 'n') c = '\n';
      else if (c == 't') c = '\t';
      else if (c == 'u') { p += 4; c = '?'; } /* non-ASCII text is not needed here */
    }
    if (n + 2 > cap) s = realloc(s, cap *= 2);
    s[n++] = c;
  }
  if (*p != '"') bad = 1; else p++;
  s[n] = 0;
  return s;
}

static J *parse_value(void);

static void push(J *j, char *key, J *v) {
  j->items = realloc(j->items, sizeof(J *) * (j->len + 1));
  j->keys = realloc(j->keys, sizeof(char *) * (j->len + 1));
  j->items[j->len] = v;
  j->keys[j->len++] = key;
}

static J *parse_value(void) {
  ws();
  if (*p == '{' || *p == '[') {
    int obj = *p++ == '{';
    J *j = node(obj ? J_OBJ : J_ARR);
    ws();
    if (*p == (obj ? '}' : ']')) { p++; return j; }
    for (;;) {
      char *key = NULL;
      ws();
      if (obj) {
        if (*p != '"') { bad = 1; return j; }
        key = parse_string();
        ws();
        if (*p++ != ':') { bad = 1; return j; }
      }
      push(j, key, parse_value());
      ws();
      if (*p == ',') { p++; continue; }
      if (*p == (obj ? '}' : ']')) { p++; return j; }
      bad = 1;
      return j;
    }
  }
  if (*p == '"') { J *j = node(J_STR); j->str = parse_string(); return j; }
  if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) { J *j = node(J_BOOL); j->num = *p == 't'; p += *p == 't' ? 4 : 5; return j; }
  if (!strncmp(p, "null", 4)) { p += 4; return node(J_NULL); }
  char *end;
  J *j = node(J_NUM);
  j->num = strtod(p, &end);
  if (end == p) bad = 1;
  p = end;
  return j;
}

static void free_json(J *j) {
  if (!j) return;
  for (int i = 0; i < j->len; i++) { free_json(j->items[i]); if (j->keys) free(j->keys[i]); }
  free(j->items); free(j->keys); free(j->str); free(j);
}

static J *get(J *obj, const char *key) {
  if (!obj || obj->type != J_OBJ) return NULL;
  for (int i = 0; i < obj->len; i++) if (!strcmp(obj->keys[i], key)) return obj->items[i];
  return NULL;
}

/* A number, or one of the strings "NaN", "Infinity", "-Infinity" (strtod reads those). */
static double num(J *j) { return j->type == J_STR ? strtod(j->str, NULL) : j->num; }

/* Reads an integer list attribute into out[n]; absent: fill with dflt. Returns 0 on a bad value. */
static int ints(J *attrs, const char *key, int n, int dflt, long *out) {
  J *a = get(attrs, key);
  if (!a || a->type == J_NULL) { for (int i = 0; i < n; i++) out[i] = dflt; return 1; }
  if (a->type != J_ARR || a->len != n) return 0;
  for (int i = 0; i < n; i++) out[i] = (long)a->items[i]->num;
  return 1;
}

/* ---- ONNX Conv ---- */
typedef struct { int rank; long shape[5]; double *data; } Tensor;

static int tensor(J *t, Tensor *out) {
  J *shape = get(t, "shape"), *data = get(t, "data");
  if (!shape || !data || shape->len > 5) return 0;
  long n = 1;
  out->rank = shape->len;
  for (int i = 0; i < shape->len; i++) n *= out->shape[i] = (long)shape->items[i]->num;
  if (data->len != n) return 0;
  out->data = malloc(sizeof(double) * (n ? n : 1));
  for (long i = 0; i < n; i++) out->data[i] = num(data->items[i]);
  return 1;
}

static void print_id(const char *id) {
  putchar('"');
  for (const char *c = id; *c; c++) { if (*c == '"' || *c == '\\') putchar('\\'); putchar(*c); }
  putchar('"');
}

static void print_number(double v) {
  if (isnan(v)) printf("\"NaN\"");
  else if (isinf(v)) printf(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  else printf("%.17g", v);
}

/* Computes the case, or returns an error message. */
static const char *conv(J *c, long *oshape, int *orank, double **odata) {
  J *attrs = get(c, "attrs"), *inputs = get(c, "inputs");
  Tensor x, w, b = {0};
  if (!inputs || !get(inputs, "X") || !get(inputs, "W")) return "X and W are required";
  if (!tensor(get(inputs, "X"), &x) || !tensor(get(inputs, "W"), &w)) return "malformed X or W";
  int has_b = get(inputs, "B") && tensor(get(inputs, "B"), &b);
  int r = x.rank - 2;
  if (r < 1 || r > 3 || w.rank != x.rank) return "X and W need the same rank, 3 to 5";
  long group, strides[3], dil[3], pads[6], lo[3], hi[3], eff[3], out_sp[3];
  J *g = get(attrs, "group");
  group = g ? (long)g->num : 1;
  if (!ints(attrs, "strides", r, 1, strides) || !ints(attrs, "dilations", r, 1, dil)) return "strides and dilations need one value per spatial axis";
  for (int i = 0; i < r; i++) if (strides[i] < 1 || dil[i] < 1) return "strides and dilations must be positive";
  long N = x.shape[0], C = x.shape[1], M = w.shape[0], Cg = w.shape[1];
  if (group < 1 || C != Cg * group || M % group) return "channels do not fit W with this group";
  if (has_b && (b.rank != 1 || b.shape[0] != M)) return "B must have one value per output channel";
  J *ap = get(attrs, "auto_pad");
  const char *auto_pad = ap && ap->type == J_STR ? ap->str : "NOTSET";
  for (int i = 0; i < r; i++) eff[i] = (w.shape[2 + i] - 1) * dil[i] + 1;
  if (!strcmp(auto_pad, "VALID")) {
    for (int i = 0; i < r; i++) lo[i] = hi[i] = 0;
  } else if (!strcmp(auto_pad, "SAME_UPPER") || !strcmp(auto_pad, "SAME_LOWER")) {
    for (int i = 0; i < r; i++) {
      long L = x.shape[2 + i], total = ((L + strides[i] - 1) / strides[i] - 1) * strides[i] + eff[i] - L;
      if (total < 0) total = 0;
      lo[i] = auto_pad[5] == 'U' ? total / 2 : total - total / 2;
      hi[i] = total - lo[i];
    }
  } else {
    if (!ints(attrs, "pads", 2 * r, 0, pads)) return "pads must list 2 values per spatial axis";
    for (int i = 0; i < r; i++) {
      lo[i] = pads[i], hi[i] = pads[i + r];
      if (lo[i] < 0 || hi[i] < 0) return "pads must be >= 0";
    }
  }
  long positions = 1, taps = 1;
  for (int i = 0; i < r; i++) {
    out_sp[i] = (x.shape[2 + i] + lo[i] + hi[i] - eff[i]) / strides[i] + 1;
    if (x.shape[2 + i] + lo[i] + hi[i] < eff[i]) return "kernel larger than the padded input";
    positions *= out_sp[i];
    taps *= w.shape[2 + i];
  }
  *orank = x.rank;
  oshape[0] = N, oshape[1] = M;
  for (int i = 0; i < r; i++) oshape[2 + i] = out_sp[i];
  double *out = malloc(sizeof(double) * (N * M * positions > 0 ? N * M * positions : 1));
  long Mg = M / group;
  for (long n = 0; n < N; n++)
    for (long m = 0; m < M; m++)
      for (long pos = 0; pos < positions; pos++) {
        long o[3], rest = pos;
        for (int a = r - 1; a >= 0; a--) o[a] = rest % out_sp[a], rest /= out_sp[a];
        double acc = has_b ? b.data[m] : 0;
        for (long ic = 0; ic < Cg; ic++)
          for (long t = 0; t < taps; t++) {
            long k[3], tr = t, xi = n * C + (m / Mg) * Cg + ic;
            int inside = 1;
            for (int a = r - 1; a >= 0; a--) k[a] = tr % w.shape[2 + a], tr /= w.shape[2 + a];
            for (int a = 0; a < r; a++) {
              long q = o[a] * strides[a] + k[a] * dil[a] - lo[a];
              if (q < 0 || q >= x.shape[2 + a]) inside = 0;
              xi = xi * x.shape[2 + a] + q;
            }
            if (inside) acc += x.data[xi] * w.data[(m * Cg + ic) * taps + t];
          }
        out[(n * M + m) * positions + pos] = acc;
      }
  free(x.data); free(w.data); free(b.data);
  *odata = out;
  return NULL;
}

int main(void) {
  printf("{\"convcheck\": 1, \"name\": \"example-c-onnx-conv\", \"framework\": \"onnx\", \"ops\": [\"Conv\"], "
         "\"capabilities\": {\"dtypes\": [\"float32\", \"float64\"]}}\n");
  fflush(stdout);
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, stdin) > 0) {
    p = line, bad = 0;
    ws();
    if (!*p) continue;
    J *c = parse_value();
    J *id = get(c, "id"), *op = get(c, "op");
    if (bad || !id || id->type != J_STR) { fprintf(stderr, "conv: unreadable case line\n"); return 2; }
    printf("{\"id\": ");
    print_id(id->str);
    if (!op || op->type != J_STR || strcmp(op->str, "Conv")) {
      printf(", \"unsupported\": \"only Conv\"}\n");
    } else {
      long shape[5];
      int rank = 0;
      double *data = NULL;
      const char *err = conv(c, shape, &rank, &data);
      if (err) printf(", \"error\": \"%s\"}\n", err);
      else {
        long n = 1;
        printf(", \"shape\": [");
        for (int i = 0; i < rank; i++) { printf(i ? ", %ld" : "%ld", shape[i]); n *= shape[i]; }
        printf("], \"data\": [");
        for (long i = 0; i < n; i++) { if (i) printf(", "); print_number(data[i]); }
        printf("]}\n");
        free(data);
      }
    }
    fflush(stdout);
    free_json(c);
  }
  free(line);
  return 0;
}
