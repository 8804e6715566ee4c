package org.lfssd.bench;
import org.lfssd.kernels.Parallel;
public class IPT {
  public static void main(String[] a) throws Exception {
    boolean other = !a[0].equals("main");
    Runnable r = () -> {
      Parallel.setThreads(2);
      ImportancePassWorkload w = ImportancePassWorkload.create("resnet18_b64", true);
      for (int i = 0; i < 4; i++) w.run("lfssd");
      long t0 = System.nanoTime();
      int n = 20;
      for (int i = 0; i < n; i++) w.run("lfssd");
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%s %.2f img/s%n", a[0], n * 64 / s);
    };
    if (other) { Thread t = a[0].equals("bigstack") ? new Thread(null, r, "bench-worker", 8L<<20) : new Thread(r, "bench-worker"); t.setDaemon(true); t.start(); t.join(); } else r.run();
  }
}
