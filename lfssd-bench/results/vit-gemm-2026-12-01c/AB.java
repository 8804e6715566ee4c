import java.net.*; import java.lang.reflect.*; import java.util.*; import java.nio.file.*;
/** A/B of GEMM shapes between jars in one JVM: java AB rounds calls threadsList shape... (jars from -Djars=a.jar,b.jar) */
public class AB {
  public static void main(String[] args) throws Exception {
    String[] jars = System.getProperty("jars").split(",");
    int rounds = Integer.parseInt(args[0]); double targetMs = Double.parseDouble(args[1]);
    int[] ths = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
    String[] shapes = Arrays.copyOfRange(args, 3, args.length);
    Method[] run = new Method[jars.length];
    for (int j=0;j<jars.length;j++){
      URLClassLoader cl = new URLClassLoader(new URL[]{Paths.get(jars[j]).toUri().toURL(), Paths.get("/tmp/gemm2t/h/rl/").toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      run[j] = cl.loadClass("Runner").getMethod("run", String.class, int.class, int.class);
    }
    // calibrate calls per shape so one measurement is ~targetMs at 1 thread; warm up
    Map<String,Integer> calls = new HashMap<>();
    for (String s : shapes) {
      for (int j=0;j<jars.length;j++) for (int t: ths) for (int w=0;w<3;w++) run[j].invoke(null, s, t, 5);
      double[] r = (double[]) run[0].invoke(null, s, 1, 5);
      String[] d = s.split(":")[1].split("x"); double f = 2.0*Long.parseLong(d[0])*Long.parseLong(d[1])*Long.parseLong(d[2]);
      calls.put(s, Math.max(1, (int)(targetMs*1e6 * r[1] / f)));
    }
    for (String s : shapes) for (int t : ths) {
      double[][][] res = new double[jars.length][rounds][];
      for (int r=0;r<rounds;r++) for (int j=0;j<jars.length;j++) res[(j+r)%jars.length==j? j : j][r] = null;
      for (int r=0;r<rounds;r++) for (int jj=0;jj<jars.length;jj++){ int j=(jj+r)%jars.length; res[j][r]=(double[])run[j].invoke(null,s,t,calls.get(s)); }
      StringBuilder sb = new StringBuilder(String.format("%-22s T%d", s, t));
      double[] cs = new double[jars.length];
      for (int j=0;j<jars.length;j++){
        sb.append(String.format(" | %s wall %5.1f cpu %5.1f max %5.1f", (char)('A'+j), med(res[j],0), med(res[j],1), med(res[j],2)));
        cs[j]=res[j][0][3];
      }
      if (jars.length>1) sb.append(String.format(" | B/A wall %.2f cpu %.2f max %.2f", med(res[1],0)/med(res[0],0), med(res[1],1)/med(res[0],1), med(res[1],2)/med(res[0],2)));
      boolean same = true; for (double c: cs) same &= c==cs[0];
      sb.append(same? " =" : " CHECKSUM-DIFF");
      System.out.println(sb); System.out.flush();
    }
  }
  static double med(double[][] r, int i){ double[] v = new double[r.length]; for(int k=0;k<r.length;k++) v[k]=r[k][i]; Arrays.sort(v); return v.length%2==1? v[v.length/2] : (v[v.length/2-1]+v[v.length/2])/2; }
}
