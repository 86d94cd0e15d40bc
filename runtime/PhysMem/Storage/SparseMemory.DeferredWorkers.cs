using System;
using System.Threading;
using System.Threading.Tasks;

namespace PhysMem;

// Deferred init's threads: the workers (deferred_init_memmap), a thread waiting for completion that
// works as one, readers that need a section now (deferred_grow_zone), and Dispose stopping them all.
// Each deferred section goes Pending -> Running -> Done (or Failed) once.
public unsafe partial class SparseMemory<TPage>
{
    // deferred_init_memmap: the worker threads (padata's split of a node's range across CPUs).
    // LongRunning: dedicated threads, so the init does not hold pool threads for its whole length.
    // Starting a dedicated thread waits until it runs, which on a busy machine cost more than the
    // rest of a deferred build (2-25 ms at load 25 on 2 CPUs), so one pool item starts them and the
    // constructor returns at once; a caller that blocks every pool thread on DeferredInitCompletion
    // delays that item until the pool adds a thread, while WaitForDeferredInit does the work itself.
    // Nothing waits for the threads themselves: the completion is set by whoever initializes the
    // last section (a worker, a waiting thread, a reader), and Dispose waits only for the threads
    // inside a section (EnterDeferredWork), so neither a wait nor Dispose costs a thread start when
    // a waiting thread did the work first.
    private void StartDeferredInit(ulong[] sections)
    {
        _deferredSections = sections;
        _deferredState = new int[sections.Length];
        _deferredRemaining = sections.Length;
        _deferredDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _deferredInit = _deferredDone.Task;
        _deferredPending = true;
        _deferredGate = t_deferredGate;
        _failingSection = t_failingSection;
        int threads = PfnRuns.InitThreads(sections.Length);
        Task.Run(() =>
        {
            for (int w = 0; w < threads; w++)
            {
                Task.Factory.StartNew(DeferredWorker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        });
    }

    private void DeferredWorker()
    {
        // A worker may start after Dispose returned (nothing waits for it to start), and after the
        // test that held the gate disposed it: it then takes no section.
        for (ManualResetEventSlim? gate = _deferredGate; gate != null && !_cancelDeferred;)
        {
            try
            {
                if (gate.Wait(10))
                {
                    break;
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        DeferredWork();
    }

    // A worker's loop, also run by a thread waiting for completion: takes the next section nobody
    // has taken until none is left or Dispose began. A section whose init failed (the completion
    // carries the exception) is passed over, so the other sections are still initialized; any other
    // exception (an interrupted wait) ends the calling thread's loop only.
    private void DeferredWork()
    {
        while (EnterDeferredWork())
        {
            try
            {
                // Read first, so that threads calling after the last section was taken do not
                // push the counter on (it would wrap after 2^31 waits).
                int i;
                if (Volatile.Read(ref _nextDeferred) >= _deferredSections.Length || (i = Interlocked.Increment(ref _nextDeferred) - 1) >= _deferredSections.Length)
                {
                    return;
                }

                try
                {
                    ClaimOrWait(i);
                }
                catch (Exception) when (Volatile.Read(ref _deferredState[i]) == Failed)
                {
                    // In the completion already.
                }
            }
            finally
            {
                LeaveDeferredWork();
            }
        }
    }

    // Entered by every thread that initializes sections outside a read section (the workers, a
    // waiting thread, EnsurePageInitialized): false once Dispose began, and Dispose waits for every
    // thread that entered. The increment and Dispose's barrier are full fences, so either the thread
    // sees the cancel or Dispose sees the thread.
    private bool EnterDeferredWork()
    {
        Interlocked.Increment(ref _deferredActive);
        if (!_cancelDeferred)
        {
            return true;
        }

        Interlocked.Decrement(ref _deferredActive);
        return false;
    }

    private void LeaveDeferredWork() => Interlocked.Decrement(ref _deferredActive);

    // deferred_grow_zone for a reader: initializes the deferred sections [start, end) touches, or
    // waits for the thread that is initializing one of them.
    private void EnsureDeferredInit(ulong start, ulong end)
    {
        if (!_deferredPending || end <= start)
        {
            return;
        }

        ulong last = (end - 1) >> _pfnSectionShift;
        int i = Array.BinarySearch(_deferredSections, start >> _pfnSectionShift);
        for (i = i < 0 ? ~i : i; i < _deferredSections.Length && _deferredSections[i] <= last; i++)
        {
            ClaimOrWait(i);
        }
    }

    private void ClaimOrWait(int i)
    {
        if (Volatile.Read(ref _deferredState[i]) == Done)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _deferredState[i], Running, Pending) == Pending)
        {
            // None is expected (the init writes memory the storage owns), but a section whose init
            // failed must not leave every later reader of it spinning, nor the completion pending.
            try
            {
                if (_failingSection == _deferredSections[i])
                {
                    throw new InvalidOperationException($"The init of section {_failingSection} failed (a test's injected failure).");
                }

                InitSectionPages(_deferredSections[i]);
            }
            catch (Exception e)
            {
                Volatile.Write(ref _deferredState[i], Failed);
                _deferredDone?.TrySetException(e);
                throw;
            }

            Volatile.Write(ref _deferredState[i], Done);
            if (Interlocked.Decrement(ref _deferredRemaining) == 0)
            {
                _deferredPending = false;
                _deferredDone?.TrySetResult();
            }

            return;
        }

        // Another thread holds it: a section takes well under a millisecond.
        var spin = default(SpinWait);
        for (int state; (state = Volatile.Read(ref _deferredState[i])) != Done; spin.SpinOnce())
        {
            if (state == Failed)
            {
                throw new InvalidOperationException($"The deferred struct page init of section {_deferredSections[i]} failed: see DeferredInitCompletion.");
            }
        }
    }

    // Dispose: no thread outside a read section takes another section; waits for the ones in
    // progress (a section takes well under a millisecond), so nothing writes memmap once it is freed
    // (readers inside read sections are waited for by the reclaimer's Close after this). A worker
    // thread that has not started yet finds the cancel and ends without touching the memmap.
    private void StopDeferredInit()
    {
        _cancelDeferred = true;
        Interlocked.MemoryBarrier();
        var spin = default(SpinWait);
        while (Volatile.Read(ref _deferredActive) != 0)
        {
            spin.SpinOnce();
        }

        _deferredDone?.TrySetResult();
    }
}
