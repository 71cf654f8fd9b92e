#include "commandline.h"

#include <QTextStream>

int CommandLine::fail(const QString &message, int status)
{
    QString line = message;
    line.replace(u'\n', u' ');
    QTextStream(stderr) << "stagecoach: " << line << Qt::endl;
    return status;
}
