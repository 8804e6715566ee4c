import org.lfssd.kernels.*;
import java.lang.management.*;
public class WdW {
  public static void main(String[] a) {
    int images=64, C=Integer.parseInt(a[0]), H=Integer.parseInt(a[1]), O=C; int reps=Integer.parseInt(a[2]);
    int Hp=H+2, Wp=H+2;
    ImplicitGemm g = Kernels.provider().implicitGemm();
    ChannelsLast.Layout l = new ChannelsLast.Layout(images, C, H, H, C, 1, 1, Hp, Wp);
    ChannelsLast.Layout gl = new ChannelsLast.Layout(images, O, H, H, O, 1, 1, Hp, Wp);
    float[] xp = new float[l.size()], gp=new float[gl.size()]; java.util.Random r=new java.util.Random(1);
    for (int n=0;n<images;n++) for(int y=0;y<H;y++) for(int x=0;x<H;x++) for(int c=0;c<C;c++) { xp[l.pixel(n,y+1,x+1)+c]=r.nextFloat()-0.5f; gp[gl.pixel(n,y+1,x+1)+c]=r.nextFloat()-0.5f; }
    int m=images*H*H; int[] rows=new int[m]; int[] grows=new int[m];
    for(int n=0,i=0;n<images;n++)for(int y=0;y<H;y++)for(int x=0;x<H;x++,i++){rows[i]=l.pixel(n,y,x); grows[i]=gl.pixel(n,y+1,x+1);}
    int[] taps=new int[9]; for(int i=0;i<3;i++)for(int j=0;j<3;j++)taps[i*3+j]=(i*Wp+j)*C;
    float[] dw1=new float[9*C*O], dw2=new float[9*C*O];
    ThreadMXBean tb=ManagementFactory.getThreadMXBean();
    java.util.List<Double> d=new java.util.ArrayList<>(), w=new java.util.ArrayList<>();
    for(int round=0;round<reps;round++){
      long t0=tb.getCurrentThreadCpuTime();
      g.gatherTransposed(m,O,C,xp,rows,taps,gp,grows,dw1);
      long t1=tb.getCurrentThreadCpuTime();
      WinogradConvolution.weightGradient(Kernels.provider(), xp, l, C, gp, gl, O, dw2);
      long t2=tb.getCurrentThreadCpuTime();
      if (round>=2) { d.add((t1-t0)/1e6); w.add((t2-t1)/1e6); }
    }
    java.util.Collections.sort(d); java.util.Collections.sort(w);
    double md=0, mx=0; for(int i=0;i<dw1.length;i++){md=Math.max(md,Math.abs(dw1[i]-dw2[i])); mx=Math.max(mx,Math.abs(dw1[i]));}
    System.out.printf("C=%d H=%d dW direct %.1f ms  winograd %.1f ms  (rel diff %.2e)%n", C, H, d.get(d.size()/2), w.get(w.size()/2), md/mx);
  }
}
