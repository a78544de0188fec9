#!/bin/sh
# Example home for harden: the start-up script's shape, condensed.
# ----------------------------------------------------------------------------
# Environment Variable Prerequisites
#
#   CARBON_HOME   Home of WSO2 Carbon installation. If not set I will  try
#                 to figure it out.
#   JAVA_HOME     Must point at your Java Development Kit installation.
#   JAVA_OPTS     (Optional) Java runtime options used when the commands
#                 is executed.
# ----------------------------------------------------------------------------

# resolve links - $0 may be a softlink
PRG="$0"
PRGDIR=`dirname "$PRG"`

# Only set CARBON_HOME if not already set
[ -z "$CARBON_HOME" ] && CARBON_HOME=`cd "$PRGDIR/.." ; pwd`

if [ -z "$JAVA_HOME" ]; then
  echo "You must set the JAVA_HOME variable before running CARBON."
  exit 1
fi
JAVACMD="$JAVA_HOME/bin/java"

if [ "$1" = "--debug" ]; then
  JAVA_OPTS="-Xdebug -Xnoagent -Djava.compiler=NONE -Xrunjdwp:transport=dt_socket,server=y,suspend=y,address=$2"
  echo "Please start the remote debugging client to continue..."
fi

CARBON_XBOOTCLASSPATH=""
CARBON_CLASSPATH="$CARBON_HOME/bin/*:$CARBON_HOME/lib/*"
JVM_MEM_OPTS="-Xms256m -Xmx1024m"

echo JAVA_HOME environment variable is set to $JAVA_HOME
echo CARBON_HOME environment variable is set to $CARBON_HOME

START_EXIT_STATUS=121
status=$START_EXIT_STATUS

while [ "$status" = "$START_EXIT_STATUS" ]
do
    $JAVACMD \
    -Xbootclasspath/a:"$CARBON_XBOOTCLASSPATH" \
    $JVM_MEM_OPTS \
    -XX:+HeapDumpOnOutOfMemoryError \
    -XX:HeapDumpPath="$CARBON_HOME/repository/logs/heap-dump.hprof" \
    $JAVA_OPTS \
    -Dcom.sun.management.jmxremote \
    -classpath "$CARBON_CLASSPATH" \
    -Djava.io.tmpdir="$CARBON_HOME/tmp" \
    -Dcatalina.base="$CARBON_HOME/lib/tomcat" \
    -Dwso2.server.standalone=true \
    -Dcarbon.registry.root=/ \
    -Dcarbon.home="$CARBON_HOME" \
    -Dconf.location="$CARBON_HOME/repository/conf"\
    -Dcomponents.repo="$CARBON_HOME/repository/components/plugins" \
    -Dorg.opensaml.httpclient.https.disableHostnameVerification=true \
    -Dhttpclient.hostnameVerifier=AllowAll \
    -DworkerNode=false \
    -Dfile.encoding=UTF8 \
    org.wso2.carbon.bootstrap.Bootstrap $*
    status=$?
done
