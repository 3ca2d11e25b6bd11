console.log('stub main', process.argv.slice(2));
