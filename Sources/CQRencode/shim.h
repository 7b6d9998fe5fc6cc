// libqrencode (Debian's libqrencode-dev), for the web page's QR code in the terminal.
#include <qrencode.h>
