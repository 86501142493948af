/*
 * A stand-in for Windows' bcryptprimitives.dll, used only by scripts/check-windows to run the
 * packaged .exe under Wine 8 (Debian 12), which has no such DLL. It is never shipped.
 *
 * Go 1.22 and later get their random bytes from ProcessPrng in bcryptprimitives.dll (Windows
 * 10 and later) and stop at start with "bcryptprimitives.dll not found" without it. Microsoft
 * documents ProcessPrng as BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData), always returning
 * TRUE (https://learn.microsoft.com/en-us/windows/win32/seccng/processprng). This one asks
 * advapi32's RtlGenRandom (exported as SystemFunction036), which Wine has, in pieces that fit
 * its ULONG length.
 *
 * Built by scripts/check-windows:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c \
 *     bcryptprimitives.def -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x10000000 ? 0x10000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
