#ifndef ROLLSENSE_CUDEV_SHIM_H
#define ROLLSENSE_CUDEV_SHIM_H
#include <libudev.h>
#include <sys/ioctl.h>
#include <sys/file.h>
#include <sys/stat.h>

// termios2 lets a serial port run at any baud rate (BOTHER), not only the B* table. glibc's
// <termios.h> does not declare it and <asm/termbits.h> clashes with <termios.h>, so the layout is
// copied here from the kernel's include/uapi/asm-generic/termbits.h (x86, arm, arm64, riscv).
#define ROLLSENSE_NCCS2 19
struct rollsense_termios2 {
    unsigned int c_iflag;
    unsigned int c_oflag;
    unsigned int c_cflag;
    unsigned int c_lflag;
    unsigned char c_line;
    unsigned char c_cc[ROLLSENSE_NCCS2];
    unsigned int c_ispeed;
    unsigned int c_ospeed;
};

// From the kernel's include/uapi/asm-generic/termbits.h: c_cflag value meaning "speed in c_ospeed".
static const unsigned int ROLLSENSE_BOTHER = 0010000;
// Mask of the baud bits in c_cflag (glibc CBAUD, bits/termios-baud.h).
static const unsigned int ROLLSENSE_CBAUD = 0010017;

// The ioctl request numbers are function-like macros that Swift cannot import.
static inline unsigned long rollsense_tcgets2(void) { return _IOR('T', 0x2A, struct rollsense_termios2); }
static inline unsigned long rollsense_tcsets2(void) { return _IOW('T', 0x2B, struct rollsense_termios2); }

// ioctl is variadic in C; these fixed-signature forms are what Swift calls.
static inline int rollsense_ioctl_pointer(int fd, unsigned long request, void *argument) {
    return ioctl(fd, request, argument);
}
static inline int rollsense_ioctl_none(int fd, unsigned long request) {
    return ioctl(fd, request);
}

// Swift resolves `flock` and `stat` to the C structs of the same names, so they are called here.
static inline int rollsense_flock(int fd, int operation) { return flock(fd, operation); }
static inline int rollsense_device_number(const char *path, unsigned long long *device) {
    struct stat status;
    if (stat(path, &status) != 0) return -1;
    *device = status.st_rdev;
    return 0;
}
static inline int rollsense_device_number_fd(int fd, unsigned long long *device) {
    struct stat status;
    if (fstat(fd, &status) != 0) return -1;
    *device = status.st_rdev;
    return 0;
}
static inline int rollsense_group_id(const char *path, unsigned int *group) {
    struct stat status;
    if (stat(path, &status) != 0) return -1;
    *group = status.st_gid;
    return 0;
}

#endif
