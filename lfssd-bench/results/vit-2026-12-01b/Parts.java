import org.lfssd.kernels.*;
import java.lang.management.*;
public class Parts {
  static ThreadMXBean mx=ManagementFactory.getThreadMXBean();
  interface R{void run();}
  static double t(R r){long c=mx.getCurrentThreadCpuTime(); r.run(); return (mx.getCurrentThreadCpuTime()-c)/1e6;}
  public static void main(String[] a){
    Parallel.setThreads(1);
    int rows=3152,in=192,out=768;
    java.util.Random rnd=new java.util.Random(1);
    float[] x=new float[rows*in], w=new float[out*in], z=new float[rows*out], h=new float[rows*out], g=new float[rows*out], dx=new float[rows*in], dw=new float[out*in];
    for(int i=0;i<x.length;i++)x[i]=(float)rnd.nextGaussian(); for(int i=0;i<w.length;i++)w[i]=(float)rnd.nextGaussian()*0.1f; for(int i=0;i<g.length;i++)g[i]=(float)rnd.nextGaussian();
    Gemm gm=Kernels.gemm(); KernelProvider ops=Kernels.ops();
    String[] names={"fwdGemm","fwdGemm+epi","gelu","geluBwd","dxGemm","dwGemm","alloc9.7MB"};
    double[][] res=new double[names.length][40];
    for(int it=0;it<40;it++){
      res[0][it]=t(()->gm.sgemm(false,true,rows,out,in,1f,x,0,in,w,0,in,0f,z,0,out));
      res[1][it]=t(()->gm.sgemm(false,true,rows,out,in,1f,x,0,in,w,0,in,0f,z,0,out,(r0,r1,c0,c1)->{for(int r=r0;r<r1;r++) ops.map(UnaryOp.GELU,z,r*out+c0,h,r*out+c0,c1-c0);}));
      res[2][it]=t(()->ops.map(UnaryOp.GELU,z,0,h,0,rows*out));
      res[3][it]=t(()->ops.mapBackward(UnaryOp.GELU,z,0,g,0,h,0,rows*out));
      res[4][it]=t(()->gm.sgemm(false,false,rows,in,out,1f,g,0,out,w,0,in,0f,dx,0,in));
      res[5][it]=t(()->gm.sgemm(true,false,out,in,rows,1f,g,0,out,x,0,in,0f,dw,0,in));
      res[6][it]=t(()->{float[] q=new float[rows*out]; q[5]=1; h[0]+=q[7];});
    }
    for(int i=0;i<names.length;i++){double[] s=java.util.Arrays.copyOfRange(res[i],10,40); java.util.Arrays.sort(s); System.out.printf("%-12s median %.2f ms%n",names[i],s[15]);}
  }
}
