import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.LockSupport;
import java.lang.management.*;
// Minimal two-thread fork-join: the caller and one worker each run one task per job.
public class SpinProbe {
    static volatile double sink;
    static double burn(long n){ double s=0; for(long i=0;i<n;i++){ s+=Math.sqrt(i+1.0);} return s;}
    static volatile int epoch; static final AtomicInteger done=new AtomicInteger();
    static volatile Thread worker; static int mode; static long work; static volatile boolean stop;
    static void waitSpin(){ if(mode==0) Thread.onSpinWait(); else if(mode==1){ /* no pause */ } else Thread.yield(); }
    public static void main(String[] a) throws Exception {
        mode=Integer.parseInt(a[0]); work=Long.parseLong(a[1]); int jobs=Integer.parseInt(a[2]);
        Thread main=Thread.currentThread();
        worker=new Thread(()->{ int seen=0; double s=0; while(!stop){ int e=epoch; if(e!=seen){ s+=burn(work); seen=e; done.incrementAndGet(); } else waitSpin(); } sink=s;});
        worker.setDaemon(true); worker.start();
        com.sun.management.OperatingSystemMXBean os=(com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        for(int r=0;r<5;r++){ long t0=System.nanoTime(), c0=os.getProcessCpuTime(); double s=0;
          for(int j=0;j<jobs;j++){ int target=done.get()+1; epoch++; s+=burn(work); while(done.get()<target) waitSpin(); }
          long t1=System.nanoTime(), c1=os.getProcessCpuTime(); sink=s;
          System.out.printf("mode=%d work=%d: per job %.1f us wall, cpu/wall %.2f%n", mode, work, (t1-t0)/1e3/jobs, (double)(c1-c0)/(t1-t0)); }
        stop=true;
    }
}
