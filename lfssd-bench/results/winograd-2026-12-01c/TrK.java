import org.lfssd.kernels.*;
public class TrK {
  public static void main(String[] a) {
    int k=Integer.parseInt(a[0]); int T=Integer.parseInt(a[1]);
    WinogradTransforms tr = Kernels.provider().winogradTransforms();
    int W=34; float[] src=new float[W*W*k*4]; for(int i=0;i<src.length;i++) src[i]=i%7;
    int[] org=new int[T]; for(int t=0;t<T;t++) org[t]=((t/16)*2*W + (t%16)*2)*k;
    float[] dst=new float[16*T*k];
    for (int rep=0;rep<30;rep++){ long t0=System.nanoTime(); for(int it=0;it<2000;it++) tr.input(src,org,0,T,k,W*k,k,dst,k,T*k);
      long t1=System.nanoTime(); if(rep%10==9) System.out.printf("k=%d T=%d: %.3f ns per output float%n",k,T,(t1-t0)/(2000.0*16*T*k)); }
  }
}
