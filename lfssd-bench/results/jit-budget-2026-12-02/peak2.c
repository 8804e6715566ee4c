#include <stdlib.h>
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#ifndef CH
#define CH 24
#endif
int main(){
  __m512 a[CH]; for(int i=0;i<CH;i++) a[i]=_mm512_set1_ps(1);
  __m512 x=_mm512_set1_ps(0.9999999f), y=_mm512_set1_ps(1e-7f);
  for(int r=0;r<4;r++){
  long n=100000000; double t0=now();
  for(long i=0;i<n;i++){
#pragma GCC unroll 32
    for(int j=0;j<CH;j++) a[j]=_mm512_fmadd_ps(x,y,a[j]);
    __asm__ volatile("" : "+v"(x));
  }
  double t=now()-t0;
  printf("%.1f ", n*CH*32.0/t/1e9);
  }
  __m512 s=a[0]; for(int i=1;i<CH;i++) s=_mm512_add_ps(s,a[i]); float o[16]; _mm512_storeu_ps(o,s); printf(" CH=%d (%g)\n", CH, o[0]);
}
