package io.ferry.shm;

/// A child process for the sweep tests: creates two segments (one owned, one disowned as if handed
/// to a consumer), prints their names and `ready`, then sleeps until it is killed, or with the
/// argument `exit` returns at once without releasing either.
public final class SegmentHolderMain {
    private SegmentHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SharedSegment owned = SharedSegment.create(4096);
        owned.memory().set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 0x5EED_F00DL);
        SharedSegment handedOver = SharedSegment.create(8192).disown();
        System.out.println(owned.name());
        System.out.println(handedOver.name());
        System.out.println("ready");
        System.out.flush();
        if (args.length == 0 || !args[0].equals("exit")) {
            Thread.sleep(600_000);
        }
    }
}
