package org.lfssd.kernels;

/** The reference {@link WinogradTransforms}: {@link Winograd}'s loops, with per-thread scratch rows. */
final class ScalarWinogradTransforms implements WinogradTransforms {
    static final ScalarWinogradTransforms INSTANCE = new ScalarWinogradTransforms();

    private ScalarWinogradTransforms() {}

    @Override
    public void input(float[] src, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride, int channels,
                      float[] dst, int tileStride, int positionStride) {
        float[] scratch = Workspace.get(Workspace.Slot.WINOGRAD_SCRATCH, Winograd.POSITIONS * channels);
        Winograd.inputTransform(src, tileOrigins, t0, t1, pixelStride, rowStride, channels, dst, tileStride,
                positionStride, scratch);
    }

    @Override
    public void output(float[] m, int tileStride, int positionStride, int[] tileOrigins, int t0, int t1, int pixelStride,
                       int rowStride, int channels, float[] dst) {
        float[] scratch = Workspace.get(Workspace.Slot.WINOGRAD_SCRATCH, Winograd.POSITIONS * channels);
        Winograd.outputTransform(m, tileStride, positionStride, tileOrigins, t0, t1, pixelStride, rowStride, channels, dst,
                scratch);
    }

    @Override
    public void filter(float[] taps, int inChannels, int outChannels, float[] u) {
        Winograd.filterTransform(taps, inChannels, outChannels, u);
    }

    @Override
    public void gradient(float[] dy, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride, int channels,
                         float[] dst, int tileStride, int positionStride) {
        Winograd.gradientTransform(dy, tileOrigins, t0, t1, pixelStride, rowStride, channels, dst, tileStride,
                positionStride);
    }
}
