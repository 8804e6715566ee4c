import org.lfssd.kernels.*;
import java.lang.management.*;
public class GeluTimeN {
  public static void main(String[] a){
    int n = Integer.parseInt(a[1]); int reps=(3152*768*5)/n; float[] x=new float[n], y=new float[n], g=new float[n];
    java.util.Random r=new java.util.Random(1); for(int i=0;i<n;i++){x[i]=(float)r.nextGaussian();g[i]=(float)r.nextGaussian();}
    KernelProvider k=Kernels.ops(); ThreadMXBean mx=ManagementFactory.getThreadMXBean();
    UnaryOp op = UnaryOp.valueOf(a.length>0?a[0]:"GELU");
    for(int it=0;it<30;it++){
      long c0=mx.getCurrentThreadCpuTime();
      for(int rep=0;rep<reps;rep++) k.map(op,x,0,y,0,n);
      long c1=mx.getCurrentThreadCpuTime();
      for(int rep=0;rep<reps;rep++) k.mapBackward(op,x,0,g,0,y,0,n);
      long c2=mx.getCurrentThreadCpuTime();
      if(it%5==4) System.out.printf("fwd %.2f ns/elem  bwd %.2f ns/elem%n",(c1-c0)/(double)reps/n,(c2-c1)/(double)reps/n);
    }
  }
}
