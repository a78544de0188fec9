@echo off
REM Example home for harden: the Windows start-up script's shape, condensed.
if "%JAVA_HOME%" == "" goto noJavaHome
set CARBON_HOME=%~sdp0..
goto runServer

:noJavaHome
echo You must set the JAVA_HOME variable before running CARBON.
goto end

:runServer
set CARBON_CLASSPATH=.\lib;%CARBON_CLASSPATH%
set CMD_LINE_ARGS=-Xbootclasspath/a:%CARBON_XBOOTCLASSPATH% -Xms256m -Xmx1024m -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath="%CARBON_HOME%\repository\logs\heap-dump.hprof" -Dcom.sun.management.jmxremote -classpath %CARBON_CLASSPATH% %JAVA_OPTS% -Dcarbon.home="%CARBON_HOME%" -Dconf.location="%CARBON_HOME%\repository\conf" -Dorg.opensaml.httpclient.https.disableHostnameVerification=true -Dfile.encoding=UTF8 -Dhttpclient.hostnameVerifier=AllowAll

:runJava
"%JAVA_HOME%\bin\java" %CMD_LINE_ARGS% org.wso2.carbon.bootstrap.Bootstrap %CMD%
if "%ERRORLEVEL%"=="121" goto runJava
:end
