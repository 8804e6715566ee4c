import org.lfssd.kernels.*;
import java.lang.management.*;
public class WinoK {
  public static void main(String[] a) {
    int images=64, C=Integer.parseInt(a[0]), H=Integer.parseInt(a[1]), O=C; int reps=Integer.parseInt(a[2]); String mode=a[3];
    int Hp=H+2, Wp=H+2;
    ImplicitGemm g = Kernels.provider().implicitGemm();
    ChannelsLast.Layout l = new ChannelsLast.Layout(images, C, H, H, C, 1, 1, Hp, Wp);
    float[] xp = new float[l.size()]; java.util.Random r=new java.util.Random(1);
    for (int n=0;n<images;n++) for(int y=0;y<H;y++) for(int x=0;x<H;x++) for(int c=0;c<C;c++) xp[l.pixel(n,y+1,x+1)+c]=r.nextFloat()-0.5f;
    int m=images*H*H; int[] rows=new int[m]; int[] orows=new int[m];
    for(int n=0,i=0;n<images;n++)for(int y=0;y<H;y++)for(int x=0;x<H;x++,i++){rows[i]=l.pixel(n,y,x); orows[i]=i*O;}
    int[] taps=new int[9]; for(int i=0;i<3;i++)for(int j=0;j<3;j++)taps[i*3+j]=(i*Wp+j)*C;
    float[] b=new float[9*C*O]; for(int i=0;i<b.length;i++)b[i]=r.nextFloat()-0.5f;
    float[] out=new float[m*O], out2=new float[m*O];
    ThreadMXBean tb=ManagementFactory.getThreadMXBean();
    for(int round=0;round<reps;round++){
      long t0=tb.getCurrentThreadCpuTime();
      if (!mode.equals("wino")) g.gather(m,O,C,xp,rows,taps,b,out,orows);
      long t1=tb.getCurrentThreadCpuTime();
      if (!mode.equals("direct")) WinogradConvolution.convolve(Kernels.provider(), xp, l, C, b, O, out2);
      long t2=tb.getCurrentThreadCpuTime();
      if (round>=reps-3) { double md=0; for(int i=0;i<out.length;i+=97) md=Math.max(md,Math.abs(out[i]-out2[i]));
        System.out.printf("C=%d H=%d direct %.1f ms  winograd %.1f ms  (maxdiff %.2e)%n", C, H, (t1-t0)/1e6, (t2-t1)/1e6, md); }
    }
  }
}
