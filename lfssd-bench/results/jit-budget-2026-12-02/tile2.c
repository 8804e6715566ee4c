#include <stdlib.h>
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define MR 12
#define NV 2
__attribute__((noinline)) void mk(int kc, const float*ap, const float*bp, float*acc, int mode){
  __m512 c[MR*NV];
  for(int i=0;i<MR*NV;i++) c[i]=_mm512_setzero_ps();
  __m512 fixedb0=_mm512_set1_ps(0.5f), fixedb1=_mm512_set1_ps(0.25f);
  if (mode==0) {
  for(int p=0;p<kc;p++){
    __m512 b[NV]; for(int v=0;v<NV;v++) b[v]=_mm512_loadu_ps(bp+p*16*NV+16*v);
    for(int r=0;r<MR;r++){ __m512 x=_mm512_set1_ps(ap[p*MR+r]); for(int v=0;v<NV;v++) c[NV*r+v]=_mm512_fmadd_ps(x,b[v],c[NV*r+v]); }
  }} else if (mode==1) { // no B loads
  for(int p=0;p<kc;p++){
    __m512 b[NV]; for(int v=0;v<NV;v++) b[v]=v?fixedb1:fixedb0;
    for(int r=0;r<MR;r++){ __m512 x=_mm512_set1_ps(ap[p*MR+r]); for(int v=0;v<NV;v++) c[NV*r+v]=_mm512_fmadd_ps(x,b[v],c[NV*r+v]); }
  }} else { // no broadcast loads
  for(int p=0;p<kc;p++){
    __m512 b[NV]; for(int v=0;v<NV;v++) b[v]=_mm512_loadu_ps(bp+p*16*NV+16*v);
    for(int r=0;r<MR;r++){ __m512 x=b[0]; for(int v=0;v<NV;v++) c[NV*r+v]=_mm512_fmadd_ps(x,b[v],c[NV*r+v]); }
  }}
  for(int i=0;i<MR*NV;i++) _mm512_storeu_ps(acc+16*i,c[i]);
}
int main(int argc,char**argv){
  int mode = argc>1?atoi(argv[1]):0;
  int kc=256;
  float*ap=aligned_alloc(64,(MR*kc+64)*4); float*bp=aligned_alloc(64,(16*NV*kc+64)*4); float acc[MR*NV*16];
  for(int i=0;i<MR*kc+64;i++) ap[i]=(i%7)*0.01f;
  for(int i=0;i<16*NV*kc+64;i++) bp[i]=(i%5)*0.01f;
  for(int r=0;r<5;r++){ long n=100000; double t0=now(); for(long i=0;i<n;i++) mk(kc,ap,bp,acc,mode); double t=now()-t0;
    printf("%.1f ", 2.0*MR*NV*16*kc*n/t/1e9); }
  printf(" mode=%d\n", mode);
}
