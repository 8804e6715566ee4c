public class Burn { static volatile double sink;
 public static void main(String[] a) throws Exception { int n=Integer.parseInt(a[0]); long ms=Long.parseLong(a[1]);
  Thread[] ts=new Thread[n]; long[] iters=new long[n];
  for(int i=0;i<n;i++){ final int k=i; ts[i]=new Thread(()->{ long end=System.nanoTime()+ms*1000000L; double s=0; long c=0; while(System.nanoTime()<end){ for(int j=0;j<10000;j++) s+=Math.sqrt(j+c); c++;} iters[k]=c; sink=s;}); ts[i].start();}
  for(Thread t:ts) t.join(); for(long c:iters) System.out.print(c+" "); System.out.println(); } }
